using PuppeteerSharp;

namespace RagFunctions.Tests.Support;

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c> package), driven headless. No browser is ever downloaded: where it
/// is missing the browser tests fail and say how to install it.
/// </summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath),
            $"Chromium is not installed at {ExecutablePath}; the front-page browser tests need it. "
            + "Install it with: apt-get update && apt-get install -y chromium fonts-noto-core (CI's .ci/run does this).");
        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // CI runs as root, where Chromium's sandbox cannot start; /dev/shm is small in containers.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US"],
        });
    }
}
