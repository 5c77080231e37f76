#!/usr/bin/env bash
# Load runs against the standalone host, built in Release.
#   bash RagFunctions.Tests/Load/load.sh chat    generative /chat with a Cohere double at 300 ms: p50/p99 at 1, 8, 64 clients, overhead, time to first token
#   bash RagFunctions.Tests/Load/load.sh mixed   mixed workload, 64 clients for 60 s: req/s, p50/p99 per endpoint, failures, memory, /health vs bare Kestrel
#   bash RagFunctions.Tests/Load/load.sh         both, one after the other
# The runs are explicit xUnit tests (RagFunctions.Tests.Load.*), skipped by a normal `dotnet test`. They take the whole
# machine: run nothing else meanwhile. Figures go to the terminal as they come.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${1:-all}" in
  chat) classes=(-class RagFunctions.Tests.Load.ChatBenchmark) ;;
  mixed) classes=(-class RagFunctions.Tests.Load.MixedLoad) ;;
  all) classes=(-class RagFunctions.Tests.Load.ChatBenchmark -class RagFunctions.Tests.Load.MixedLoad) ;;
  *) echo "usage: $0 [chat|mixed]" >&2; exit 2 ;;
esac

dotnet build "$root/RagFunctions.slnx" -c Release --nologo -v quiet
"$root/RagFunctions.Tests/bin/Release/net10.0/RagFunctions.Tests" -explicit only "${classes[@]}" -parallelMode none -noColor
