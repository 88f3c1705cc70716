package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.shoal.platform.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The web interface in a real browser (Playwright driving Debian's chromium) on the running stack:
 * a person signs in, creates an organization and repositories, makes a token, pushes with the git
 * command line, reads the README and a file, opens an issue and comments; a signed-out visitor sees
 * the public repository and the same 404 for a private one as for a missing one; a form without its
 * CSRF token is refused; a comment holding {@code <script>} renders as text; a pushed pipeline's step log
 * grows on the open page without a reload, its colour shown and its markup escaped; a pull request is opened from a
 * branch on the page and merged with a chosen method, and a conflicting one names its files; a webhook's delivery is
 * redelivered from the repository's settings; a CI secret's value never comes back; branches, tags, releases and
 * raw files; the site admin manages users and agents on /admin, which is the 404 page to anyone else. Screenshots of the main
 * pages go to {@code shoal.screenshots} (docs/screenshots when set), else target/screenshots.
 */
final class WebUiScenarios implements AutoCloseable {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private final String url;
    private final String adminToken;
    private final String adminPassword;
    private final Path shots;
    private final Playwright playwright;
    private final Browser browser;
    private final List<String> cspViolations = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    /** The page opened last: its screenshot is taken when a step fails. */
    private Page last;

    WebUiScenarios(String url, String adminToken, String adminPassword, Path defaultShots) throws IOException {
        this.url = url;
        this.adminToken = adminToken;
        this.adminPassword = adminPassword;
        String configured = System.getProperty("shoal.screenshots");
        this.shots = configured == null || configured.isBlank() ? defaultShots : Path.of(configured);
        Files.createDirectories(shots);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        this.playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
        this.browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true));
    }

    static boolean browserAvailable() {
        return Files.isExecutable(CHROMIUM);
    }

    private Page newPage(BrowserContext context) {
        Page page = context.newPage();
        last = page;
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                cspViolations.add(page.url() + ": " + message.text());
            }
        });
        return page;
    }

    private void shot(Page page, String name, String... masked) {
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(name + ".png")).setFullPage(true)
                .setMask(java.util.Arrays.stream(masked).map(page::locator).toList()));
    }

    /** The whole journey; asserts everything; on failure leaves failure.png of the page it was on. */
    void journey(Path work) throws Exception {
        try {
            walk(work);
        } catch (Exception | AssertionError e) {
            if (last != null && !last.isClosed()) {
                shot(last, "failure");
                System.out.println("WebUiScenarios failed on " + last.url() + "; screenshot " + shots.resolve("failure.png"));
            }
            throw e;
        }
    }

    private void walk(Path work) throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
        String user = "wendy-" + suffix;
        String org = "webjourney-" + suffix;
        String password = "a long web password 1";
        api("POST", "/api/v1/admin/users", "{\"username\":\"" + user + "\",\"email\":\"" + user + "@example.com\"}", 201);
        api("PUT", "/api/v1/admin/users/" + user + "/password", "{\"password\":\"" + password + "\"}", 204);

        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page page = newPage(context);

        // --- sign in ---
        page.navigate(url + "/");
        assertThat(page.url()).as("a signed-out visitor is sent to sign in").endsWith("/login");
        page.fill("#username", user);
        page.fill("#password", "not it");
        page.click("#login-submit");
        assertThat(page.locator("#problem").textContent()).contains("Wrong username or password");
        page.fill("#password", password);
        shot(page, "login");
        page.click("#login-submit");
        page.waitForURL(url + "/");
        assertThat(page.locator("h1").textContent()).contains("Welcome, " + user);
        Cookie session = context.cookies().stream().filter(c -> c.name.equals("shoal_session")).findFirst().orElseThrow();
        assertThat(session.httpOnly).as("session cookie HttpOnly").isTrue();
        assertThat(session.sameSite).isEqualTo(SameSiteAttribute.LAX);
        String sessionToken = session.value.substring(session.value.indexOf('.') + 1);
        assertThat(page.evaluate("() => document.cookie")).as("scripts cannot read the session").asString().doesNotContain("shoal_session");

        // --- an organization and two repositories, through the forms ---
        page.fill("#new-org-name", org);
        page.click("#new-org button[type=submit]");
        page.waitForURL(url + "/" + org);
        page.navigate(url + "/");
        page.selectOption("#new-repo-org", org);
        page.fill("#new-repo-name", "hidden");
        page.check("#new-repo-private");
        page.click("#new-repo button[type=submit]");
        page.waitForURL(url + "/" + org + "/hidden");
        page.navigate(url + "/");
        page.selectOption("#new-repo-org", org);
        page.fill("#new-repo-name", "site");
        page.click("#new-repo button[type=submit]");
        page.waitForURL(url + "/" + org + "/site");
        String cloneUrl = page.inputValue("#clone-url");
        assertThat(cloneUrl).endsWith("/" + org + "/site.git");
        page.navigate(url + "/");
        shot(page, "dashboard");
        assertThat(page.locator("ul.repos").textContent()).contains(org + "/site").contains(org + "/hidden");

        // --- a token from the settings page, for git ---
        page.navigate(url + "/user/settings");
        page.fill("#token-name", "laptop git");
        page.check("input[name=scope][value=write]");
        page.click("#token-submit");
        String gitToken = page.inputValue("#new-token");
        assertThat(gitToken).startsWith("shoal_pat_");
        assertThat(page.locator("#tokens").textContent()).contains("web session").contains("this session").contains("laptop git");
        shot(page, "settings", "#new-token");

        // --- push with the git command line ---
        Path repo = Files.createDirectories(work.resolve("site"));
        Files.writeString(repo.resolve("README.md"), "# Site of the journey\n\nSome **bold** words and a [link](https://example.com).\n\n"
                + "<script>window.readmePwned = 1</script>\n\n```java\nclass A {}\n```\n");
        Files.createDirectories(repo.resolve("src"));
        StringBuilder code = new StringBuilder("package demo;\n\n/** A file to read in the browser. */\npublic class Main {\n");
        for (int i = 0; i < 30; i++) {
            code.append("    static int f").append(i).append("() { return ").append(i).append("; }\n");
        }
        code.append("}\n");
        Files.writeString(repo.resolve("src/Main.java"), code.toString());
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=Wendy", "-c", "user.email=wendy@example.com", "commit", "-q", "-m", "First page of the site");
        git(repo, "push", "-q", cloneUrl.replace("://", "://" + user + ":" + gitToken + "@"), "main");

        // --- README, file view, commits ---
        page.navigate(url + "/" + org + "/site");
        assertThat(page.locator("#readme h1").textContent()).isEqualTo("Site of the journey");
        assertThat(page.locator("#readme strong").textContent()).isEqualTo("bold");
        assertThat(page.locator("#readme script").count()).isZero();
        assertThat(page.evaluate("() => typeof window.readmePwned")).isEqualTo("undefined");
        shot(page, "repository");
        page.click("#tree a:text-is('src')");
        page.waitForURL(url + "/" + org + "/site/src/main/src");
        page.click("#tree a:text-is('Main.java')");
        page.waitForURL(url + "/" + org + "/site/src/main/src/Main.java");
        assertThat(page.locator("#L12").count()).isEqualTo(1);
        page.waitForSelector("#code.hljs");
        assertThat(page.locator("#code .hljs-keyword").count()).as("highlight.js ran under the CSP").isPositive();
        page.navigate(url + "/" + org + "/site/src/main/src/Main.java#L12");
        assertThat(page.locator("#L12").getAttribute("class")).contains("target");
        shot(page, "file");
        page.navigate(url + "/" + org + "/site/commits/main");
        assertThat(page.locator("#commits").textContent()).contains("First page of the site");
        shot(page, "commits");
        page.click("#commits a");
        assertThat(page.locator("#commit-subject").textContent()).isEqualTo("First page of the site");
        assertThat(page.locator("#diff").textContent()).contains("Site of the journey").contains("Main.java");

        // --- an issue, a comment holding a script, close ---
        page.navigate(url + "/" + org + "/site/issues");
        page.click("#new-issue");
        page.fill("#issue-title", "The header is too small");
        page.fill("#issue-body", "Steps:\n\n1. open the site\n2. squint");
        page.click("#issue-submit");
        page.waitForURL(url + "/" + org + "/site/issues/1");
        assertThat(page.locator("#issue-body li").count()).isEqualTo(2);
        String evil = "<script>window.commentPwned = 1</script> and <img src=x onerror=\"window.imgPwned=1\">\n\n**still bold**";
        page.fill("#comment-body", evil);
        page.click("#comment-submit");
        page.waitForSelector("article.comment");
        String shown = page.locator("article.comment .markdown").first().textContent();
        assertThat(shown).contains("<script>window.commentPwned = 1</script>");
        assertThat(page.locator("article.comment script").count()).isZero();
        assertThat(page.locator("article.comment img").count()).isZero();
        assertThat(page.locator("article.comment strong").textContent()).isEqualTo("still bold");
        assertThat(page.evaluate("() => typeof window.commentPwned + typeof window.imgPwned")).isEqualTo("undefinedundefined");
        page.fill("#label-name", "bug");
        page.click("#label-form button[type=submit]");
        page.waitForSelector("#labels .label:has-text('bug')");
        assertThat(api("GET", "/api/v1/repos/" + org + "/site/issues/1", null, 200)).contains("\"name\":\"bug\"");
        shot(page, "issue");
        page.click("#close");
        page.waitForSelector("#reopen");
        assertThat(page.locator("#issue-state").textContent()).isEqualTo("closed");
        page.navigate(url + "/" + org + "/site/issues?state=closed");
        assertThat(page.locator("#issues").textContent()).contains("The header is too small");
        shot(page, "issues");

        // --- a pull request: a branch pushed with git, opened through the API, read and merged on its page ---
        git(repo, "checkout", "-q", "-b", "bigger-header");
        Files.writeString(repo.resolve("README.md"), Files.readString(repo.resolve("README.md")).replace("# Site of the journey", "# The Site of the journey"));
        git(repo, "-c", "user.name=Wendy", "-c", "user.email=wendy@example.com", "commit", "-q", "-am", "A bigger header");
        git(repo, "push", "-q", cloneUrl.replace("://", "://" + user + ":" + gitToken + "@"), "bigger-header");
        page.navigate(url + "/" + org + "/site/branches");
        assertThat(page.locator("#branches").textContent()).contains("bigger-header").contains("main").contains("default");
        shot(page, "branches");
        page.navigate(url + "/" + org + "/site/pulls");
        page.click("#new-pull");
        page.waitForURL(url + "/" + org + "/site/pulls/new");
        page.selectOption("#pull-head", "bigger-header");
        page.selectOption("#pull-base", "main");
        page.fill("#pull-title-input", "A bigger header");
        page.fill("#pull-body", "Fixes #1");
        shot(page, "pull-new");
        page.click("#pull-submit");
        page.waitForURL(url + "/" + org + "/site/pulls/2");
        assertThat(page.locator("#pull-title").textContent()).contains("A bigger header");
        assertThat(page.locator("#diff .add").allTextContents()).contains("+# The Site of the journey");
        assertThat(page.locator("#diff .del").allTextContents()).contains("-# Site of the journey");
        shot(page, "pull");
        page.check("#merge-form input[name=method][value=squash]");
        page.click("#merge");
        page.waitForSelector("#pull-status:text-is('merged')");
        page.navigate(url + "/" + org + "/site");
        assertThat(page.locator("#readme h1").textContent()).isEqualTo("The Site of the journey");
        assertThat(api("GET", "/api/v1/repos/" + org + "/site/log?rev=main&per_page=1", null, 200))
                .as("squashed: one new commit whose parent is the old head").contains("A bigger header");
        // a branch that changed the same line: its merge is refused and the page names the file
        git(repo, "checkout", "-q", "-b", "tiny-header", "main");
        Files.writeString(repo.resolve("README.md"), Files.readString(repo.resolve("README.md")).replace("# Site of the journey", "## Site of the journey"));
        git(repo, "-c", "user.name=Wendy", "-c", "user.email=wendy@example.com", "commit", "-q", "-am", "A smaller header");
        git(repo, "push", "-q", cloneUrl.replace("://", "://" + user + ":" + gitToken + "@"), "tiny-header");
        page.navigate(url + "/" + org + "/site/pulls/new?head=tiny-header&base=main");
        page.fill("#pull-title-input", "A smaller header");
        page.click("#pull-submit");
        page.waitForURL(url + "/" + org + "/site/pulls/3");
        page.click("#merge");
        page.waitForSelector("#merge-problem");
        assertThat(page.locator("#conflicts").textContent()).contains("README.md");
        assertThat(page.locator("#pull-status").textContent()).isEqualTo("open");
        shot(page, "pull-conflict");
        assertThat(api("GET", "/api/v1/repos/" + org + "/site/pulls/3", null, 200)).contains("\"status\":\"open\"");

        // --- a pipeline: its step's log grows on the open page without a reload, colours and all ---
        // The expected words are computed by the shell ($((…))), so an echo of the command itself in the log
        // cannot be mistaken for its output.
        Files.writeString(repo.resolve(".shoal.yml"), String.join("\n",
                "steps:", "  - name: slow", "    image: alpine", "    commands:",
                "      - printf '\\033[32mfirst-%s\\033[0m <b>\\n' $((40+2))", "      - sleep 8", "      - echo second-$((40+3))", ""));
        git(repo, "checkout", "-q", "main");
        git(repo, "pull", "-q", "--ff-only", cloneUrl.replace("://", "://" + user + ":" + gitToken + "@"), "main");
        git(repo, "add", ".shoal.yml");
        git(repo, "-c", "user.name=Wendy", "-c", "user.email=wendy@example.com", "commit", "-q", "-m", "A slow pipeline");
        git(repo, "push", "-q", cloneUrl.replace("://", "://" + user + ":" + gitToken + "@"), "main");
        String pipelineApi = "/api/v1/repos/" + org + "/site/pipelines/1";
        Waits.until(Duration.ofSeconds(90), StackClient.unchecked(() -> StackClient.Answer.of(send("GET", pipelineApi, gitToken, null))),
                p -> p.status() == 200 && p.body().contains("\"status\":\"running\""), "pipeline 1 of the site running");
        page.navigate(url + "/" + org + "/site/pipelines");
        assertThat(page.locator("#pipelines").textContent()).contains("#1").contains("running");
        shot(page, "pipelines");
        page.click("#pipelines a:text-is('#1')");
        page.waitForURL(url + "/" + org + "/site/pipelines/1");
        assertThat(page.locator("#step-1-log").getAttribute("sse-connect")).as("the step was running: its log is followed").isNotNull();
        page.evaluate("() => { window.sameDocument = 'yes'; }");
        page.waitForSelector("#step-1-log span.ansi-fg2:text-is('first-42')", new Page.WaitForSelectorOptions().setTimeout(30_000));
        assertThat(page.locator("#step-1-log").textContent()).contains("first-42 <b>").doesNotContain("second-43");
        assertThat(page.locator("#step-1-log b").count()).as("log text is escaped").isZero();
        page.waitForSelector("#step-1-log:has-text('second-43')", new Page.WaitForSelectorOptions().setTimeout(30_000));
        assertThat(page.evaluate("() => window.sameDocument")).as("the line came in without a reload").isEqualTo("yes");
        shot(page, "pipeline");
        // restart, then cancel the restarted run, through the page's forms
        page.reload();
        page.click("#rerun");
        page.waitForURL(url + "/" + org + "/site/pipelines/2");
        page.click("#cancel");
        page.waitForSelector("#pipeline-status:text-is('cancelled')");

        // --- repository settings: a webhook, its ping delivery redelivered from the page; a CI secret ---
        try (HookReceiver receiver = new HookReceiver()) {
            page.navigate(url + "/" + org + "/site/settings");
            page.fill("#hook-url", receiver.url());
            page.fill("#hook-secret", "web hook secret of the journey");
            page.check("#hook-form input[name=event][value=push]");
            page.click("#hook-submit");
            // The settings page does not refresh itself: it is reloaded between looks.
            Waits.until(Duration.ofSeconds(60), Duration.ofMillis(500),
                    () -> visibleElseReload(page, "tr[id^=delivery-] .state:text-is('succeeded')"),
                    () -> "a succeeded delivery on the settings page; deliveries shown: "
                            + page.locator("tr[id^=delivery-]").allTextContents());
            assertThat(page.locator("tr[id^=delivery-]").first().textContent()).contains("ping").contains("succeeded").contains("200");
            assertThat(receiver.requests("ping")).isEqualTo(1);
            page.click("tr[id^=delivery-] button.redeliver");
            assertThat(page.locator("#notice").textContent()).contains("is being sent again");
            Waits.until(Duration.ofSeconds(30), () -> receiver.requests("ping") >= 2,
                    () -> "the ping redelivered from the page; ping requests: " + receiver.requests("ping"));
            assertThat(receiver.requests("ping")).as("redelivered from the page").isEqualTo(2);
            assertThat(receiver.distinct("ping")).as("the same delivery, sent again").isEqualTo(1);
            assertThat(receiver.conflicting()).isEmpty();
        }
        page.fill("#secret-name", "DEPLOY_TOKEN");
        page.fill("#secret-value", "web secret value 42");
        page.click("#secret-submit");
        page.waitForSelector("#secret-list code:text-is('DEPLOY_TOKEN')");
        assertThat(page.content()).doesNotContain("web secret value 42").doesNotContain("web hook secret of the journey");
        shot(page, "repo-settings");
        APIResponse forgedHook = page.request().post(url + "/" + org + "/site/settings/hooks", RequestOptions.create()
                .setForm(FormData.create().set("url", "http://127.0.0.1:9/forged").set("secret", "x")).setMaxRedirects(0));
        assertThat(forgedHook.status()).as("a settings form without its CSRF token").isEqualTo(403);
        assertThat(api("GET", "/api/v1/repos/" + org + "/site/webhooks", null, 200)).doesNotContain("forged");

        // --- a tag, a release with an asset, a raw file, the clone URL's copy button, the organization ---
        git(repo, "tag", "v1", "main");
        git(repo, "push", "-q", cloneUrl.replace("://", "://" + user + ":" + gitToken + "@"), "v1");
        HttpResponse<String> release = send("POST", "/api/v1/repos/" + org + "/site/releases", gitToken,
                "{\"tag_name\":\"v1\",\"name\":\"First release\",\"body\":\"The first <b>cut</b>.\"}");
        assertThat(release.statusCode()).as(release.body()).isEqualTo(201);
        String releaseId = release.body().replaceAll("(?s).*?\"id\":(\\d+).*", "$1");
        byte[] asset = "a tarball, more or less\n".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> uploaded = upload("/api/v1/repos/" + org + "/site/releases/" + releaseId + "/assets", gitToken, "site.tar.gz", asset);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        page.navigate(url + "/" + org + "/site/tags");
        assertThat(page.locator("#tags").textContent()).contains("v1");
        page.navigate(url + "/" + org + "/site/releases");
        assertThat(page.locator("#releases").textContent()).contains("First release").contains("The first <b>cut</b>.").contains("site.tar.gz");
        shot(page, "releases");
        APIResponse download = page.request().get(url + page.locator("#releases a:text-is('site.tar.gz')").getAttribute("href"));
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(asset);
        page.navigate(url + "/" + org + "/site/src/main/src/Main.java");
        APIResponse raw = page.request().get(url + page.locator("#raw").getAttribute("href"));
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.headers().get("content-type")).startsWith("text/plain");
        assertThat(raw.text()).isEqualTo(code.toString());
        page.navigate(url + "/" + org + "/site");
        page.click("#copy-clone");
        page.waitForSelector("#copy-clone:text-is('Copied')");
        page.navigate(url + "/" + org);
        assertThat(page.locator("#member-list").textContent()).contains(user).contains("owner");
        assertThat(page.locator("#member-form").count()).as("an owner manages the members").isEqualTo(1);
        shot(page, "organization");

        // --- /admin is the 404 page to anyone but a site admin ---
        com.microsoft.playwright.Response notAdmin = page.navigate(url + "/admin");
        String notAdminText = page.locator("main").textContent();
        assertThat(notAdmin.status()).isEqualTo(404);
        assertThat(page.navigate(url + "/no-such-org-" + suffix).status()).isEqualTo(404);
        assertThat(page.locator("main").textContent()).isEqualTo(notAdminText);
        siteAdmin(suffix);

        // --- a changing form without its CSRF token, from the signed-in browser ---
        APIResponse forged = page.request().post(url + "/" + org + "/site/issues", RequestOptions.create()
                .setForm(FormData.create().set("title", "forged").set("body", "x")).setMaxRedirects(0));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("not sent from a page of this site");
        APIResponse wrong = page.request().post(url + "/" + org + "/site/issues/1/state", RequestOptions.create()
                .setForm(FormData.create().set("state", "open").set("_csrf", "AAAA")).setMaxRedirects(0));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(api("GET", "/api/v1/repos/" + org + "/site/issues?state=new", null, 200)).doesNotContain("forged");
        assertThat(api("GET", "/api/v1/repos/" + org + "/site/issues/1", null, 200)).contains("\"state\":\"closed\"");

        // --- signed-out visitors: the public repository, the same 404 for private and missing ---
        BrowserContext visitor = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page anon = newPage(visitor);
        com.microsoft.playwright.Response pub = anon.navigate(url + "/" + org + "/site");
        assertThat(pub.status()).isEqualTo(200);
        assertThat(anon.locator("#readme h1").textContent()).isEqualTo("The Site of the journey");
        com.microsoft.playwright.Response hidden = anon.navigate(url + "/" + org + "/hidden");
        String hiddenText = anon.locator("main").textContent();
        shot(anon, "not-found");
        com.microsoft.playwright.Response missing = anon.navigate(url + "/" + org + "/no-such-repo");
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(anon.locator("main").textContent()).isEqualTo(hiddenText);
        assertThat(anon.navigate(url + "/" + org + "/hidden/issues").status()).isEqualTo(404);
        visitor.close();

        // --- sign out revokes the session ---
        page.navigate(url + "/");
        page.click("#sign-out");
        page.waitForURL(url + "/login");
        HttpResponse<String> after = send("GET", "/api/v1/user", sessionToken, null);
        assertThat(after.statusCode()).as("the session token is revoked by signing out").isEqualTo(401);
        context.close();

        assertThat(cspViolations).as("pages break no rule of their own Content-Security-Policy").isEmpty();
    }

    /** The site admin, signed in with deploy/up's password: users made, deactivated and given a password; an agent registered and deleted. */
    private void siteAdmin(String suffix) throws Exception {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        Page page = newPage(context);
        page.navigate(url + "/login");
        page.fill("#username", "admin");
        page.fill("#password", adminPassword);
        page.click("#login-submit");
        page.waitForURL(url + "/");
        page.navigate(url + "/admin");
        String carol = "carol-" + suffix;
        page.fill("#user-name", carol);
        page.fill("#user-email", carol + "@example.com");
        page.fill("#user-password", "carol's first password");
        page.click("#user-submit");
        page.waitForSelector("#user-" + carol);
        assertThat(send("POST", "/api/v1/login", null, "{\"username\":\"" + carol + "\",\"password\":\"carol's first password\"}").statusCode())
                .as("the password set at creation signs in").isEqualTo(201);
        page.click("#user-" + carol + " button.deactivate");
        page.waitForSelector("#user-" + carol + " button.activate");
        assertThat(api("GET", "/api/v1/admin/users/" + carol, null, 200)).contains("\"is_active\":false");
        page.click("#user-" + carol + " button.activate");
        page.waitForSelector("#user-" + carol + " button.deactivate");
        page.fill("#user-" + carol + " input[name=password]", "carol's second password");
        page.click("#user-" + carol + " .password-form button");
        assertThat(page.locator("#notice").textContent()).contains("password of " + carol);
        assertThat(send("POST", "/api/v1/login", null, "{\"username\":\"" + carol + "\",\"password\":\"carol's second password\"}").statusCode())
                .as("the password set on /admin signs in").isEqualTo(201);
        page.fill("#agent-name", "web-agent-" + suffix);
        page.fill("#agent-labels", "os=linux, size=small");
        page.click("#agent-submit");
        String agentToken = page.inputValue("#new-agent-token");
        assertThat(agentToken).startsWith("shoal_agent_");
        assertThat(page.locator("#agent-list").textContent()).contains("web-agent-" + suffix).contains("os=linux");
        shot(page, "admin", "#new-agent-token");
        page.navigate(url + "/admin");
        assertThat(page.content()).as("the agent's token is shown once").doesNotContain(agentToken);
        page.click("#agent-list tr:has-text('web-agent-" + suffix + "') button.danger");
        page.waitForURL(url + "/admin#agents");
        assertThat(page.locator("#agent-list").textContent()).doesNotContain("web-agent-" + suffix);
        context.close();
    }

    /** A release asset uploaded as the API takes it: multipart, field {@code attachment}. */
    private HttpResponse<String> upload(String path, String token, String name, byte[] content) throws Exception {
        String boundary = "shoal-web-" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"" + name
                + "\"\r\nContent-Type: application/gzip\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Whether {@code selector} shows on the page; if not, the page is reloaded for the next look. */
    private static boolean visibleElseReload(Page page, String selector) {
        if (page.locator(selector).isVisible()) {
            return true;
        }
        page.reload();
        return false;
    }

    private String api(String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> answer = send(method, path, adminToken, body);
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(expected);
        return answer.body();
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args).replaceAll("shoal_pat_\\w+", "***") + " failed: " + output);
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
