# syntax=docker/dockerfile:1
# The Functions host image, serving this isolated worker on port 7860 (Hugging Face Spaces' app_port).
# DOTNET: 10.0 (8.0 would need the projects retargeted); both stages follow it.
ARG DOTNET=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET} AS build
WORKDIR /src
# The restore layer stays cached until a project or build file changes.
COPY global.json Directory.Build.props Directory.Packages.props host.json ./
COPY RagFunctions/RagFunctions.csproj RagFunctions/
RUN dotnet restore RagFunctions/RagFunctions.csproj -r linux-x64
COPY RagFunctions/ RagFunctions/
# No --no-restore: the worker SDK restores and builds its generated extensions project here.
# ReadyToRun: the worker's code is compiled ahead of time, so a Space that wakes from sleep is ready and answers its
# first question sooner (measured with the start benchmark: README, "Measured quality and speed").
RUN dotnet publish RagFunctions/RagFunctions.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /out
# Optional: a `book/` folder in the build context (a Docusaurus docs folder, or a site folder holding `docs/`) is
# indexed here into /index with the local embeddings, so the image starts with its index and needs no Qdrant
# (a Space can only reach ports 80, 443 and 8080). Without `book/` only the Dockerfile matches and /index stays empty.
COPY Dockerfile book* /book/
RUN mkdir -p /index \
 && rm /book/Dockerfile \
 && if [ -n "$(ls -A /book)" ]; then \
      docs=/book; [ -d /book/docs ] && docs=/book/docs; \
      RAG_DATA_DIR=/index EMBEDDINGS_PROVIDER=local dotnet /out/RagFunctions.dll ingest "$docs"; \
    fi

FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated${DOTNET}
# ScriptRoot: explicit in case the 10.0 image moved it.
# Console logging: a Space shows only stdout, and the host keeps console logging off otherwise.
# URLS: the Space's app_port; above 1024 so uid 1000 may bind it.
# CORS: the host answers preflights; origins come from the Space variable CORS_ALLOWED_ORIGINS as a JSON array.
# Forwarded headers: the host takes the reader's address from the Space proxy's X-Forwarded-For; without it the host
# passes its own peer (the proxy) on to the worker, and every reader shares one rate-limit budget.
# RAG_DATA_DIR: the embedded index, writable by uid 1000 (a Space's disk is ephemeral: the index is rebuilt at start).
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    ASPNETCORE_URLS=http://+:7860 \
    FUNCTIONS_ENABLE_CORS_CONFIGURATION=1 \
    ASPNETCORE_FORWARDEDHEADERS_ENABLED=true \
    FUNCTIONS_WORKER_RUNTIME=dotnet-isolated \
    RAG_DATA_DIR=/home/data
# The paths the host and ASP.NET write to as uid 1000; numeric ids because the base image may already have user 1000.
RUN mkdir -p /azure-functions-host/Secrets /home/.aspnet /home/data /tmp/Functions \
 && chown 1000:1000 /azure-functions-host/Secrets /home/.aspnet /home/data /tmp/Functions
# App files stay root-owned and read-only; nothing in wwwroot is written at run time.
COPY --from=build /out /home/site/wwwroot
# The index built from `book/` (empty without it), writable by uid 1000 so updates and feedback can be written.
COPY --from=build --chown=1000:1000 /index /home/data
# Hugging Face runs the container as uid 1000; this makes a local `docker run` match. Drop it for an Azure custom container.
USER 1000:1000
EXPOSE 7860
# No CMD/ENTRYPOINT: the base image's host launcher starts the Functions host, which starts the worker.
