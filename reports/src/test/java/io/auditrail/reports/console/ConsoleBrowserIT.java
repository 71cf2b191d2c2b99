package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.auditrail.embedded.EmbeddedPostgres;
import io.auditrail.embedded.EmbeddedS3;
import io.auditrail.embedded.junit.EmbeddedServicesExtension;
import io.auditrail.reports.token.CreatedToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.net.PortProber;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless browser: Debian's Chromium driven by Selenium through the system chromedriver
 * (never one Selenium Manager would download). An admin signs in, picks a tenant, searches, opens an event and reads
 * its archived line, downloads the evidence pack and records a disposition; an auditor of acme then finds globex's
 * pages refused in the browser too. Skipped, with the reason, on a machine without chromium and chromium-driver.
 */
@ExtendWith(EmbeddedServicesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ConsoleBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private ConsoleWorld world;
    private ChromeDriverService service;
    private WebDriver browser;
    private Path downloads;

    @BeforeAll
    void start(EmbeddedPostgres pg, EmbeddedS3 s3) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "SKIPPED: no " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "SKIPPED: no " + CHROMEDRIVER
                + " (apt-get install chromium-driver)");
        world = new ConsoleWorld(pg, s3);
        downloads = Files.createTempDirectory("console-downloads-");
        Path profile = Files.createTempDirectory("console-chromium-profile-");
        // the driver is named explicitly, so Selenium Manager has nothing to look up or download
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        // built directly, not through ChromeDriverService.Builder: that class's @AutoService annotation makes javac
        // warn (-Xlint:all) about an annotation type not on the classpath
        int port = PortProber.findFreePort();
        service = new ChromeDriverService(CHROMEDRIVER.toFile(), port, Duration.ofSeconds(60),
                List.of("--port=" + port), Map.of());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "download.directory_upgrade", true));
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void anAdminSignsInSearchesReadsARawLineDownloadsAPackAndRecordsADisposition() throws Exception {
        signIn(world.admin);
        Cookie session = browser.manage().getCookieNamed("auditrail_console");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");

        // pick a tenant
        follow(browser.findElement(By.xpath("//a[@class='tenant' and text()='acme']")));
        assertThat(browser.findElement(By.id("current-tenant")).getText()).isEqualTo("Tenant: acme");
        assertThat(eventRowTenants()).hasSize(ConsoleWorld.ACME_EVENTS).containsOnly("acme");

        // search: the hostile path is found and shown as text, not run
        WebElement prefix = browser.findElement(By.name("path_prefix"));
        prefix.sendKeys("secret/data/tenants/acme/<script>");
        follow(browser.findElement(By.id("search")));
        assertThat(eventRowTenants()).containsExactly("acme");
        assertThat(browser.findElement(By.cssSelector("#events td.p")).getText())
                .isEqualTo(ConsoleWorld.HOSTILE_PATH);
        assertThat(browser.findElements(By.tagName("script"))).isEmpty();

        // open an event and read its archived line
        follow(browser.findElement(By.linkText("Events")));
        follow(browser.findElement(By.cssSelector("a[href='/events/" + world.archivedEvent.id() + "']")));
        byte[] line = world.archivedLine;
        int bad = indexOf(line, (byte) 0xff);
        String shown = new String(line, 0, bad, StandardCharsets.UTF_8) + "\\xFF"
                + new String(line, bad + 1, line.length - bad - 1, StandardCharsets.UTF_8);
        assertThat(browser.findElement(By.id("raw")).getText()).isEqualTo(shown);
        assertThat(browser.getPageSource()).doesNotContain(ConsoleWorld.GLOBEX_MARK);

        // download the evidence pack: the browser saves it like a person's would
        follow(browser.findElement(By.linkText("Evidence pack")));
        browser.findElement(By.id("pack")).click();
        Path zip = awaitDownload("soc2-acme-");
        assertThat(zipEntries(zip)).contains("summary.pdf", "summary.html", "evidence.json");

        // triage: record a disposition on acme's anomaly
        follow(browser.findElement(By.linkText("Anomalies")));
        WebElement row = browser.findElement(By.id("anomaly-" + world.acmeAnomaly));
        new Select(row.findElement(By.name("status"))).selectByValue("acknowledged");
        row.findElement(By.name("note")).sendKeys("seen in the browser");
        follow(row.findElement(By.tagName("button")));
        assertThat(browser.findElement(By.cssSelector("#anomaly-" + world.acmeAnomaly + " td.status")).getText())
                .isEqualTo("acknowledged");
        assertThat(world.fixture.rows("SELECT note, decided_by FROM anomaly_disposition WHERE anomaly_id = ? "
                + "AND status = 'acknowledged'", world.acmeAnomaly)).singleElement()
                .isEqualTo(Map.of("note", "seen in the browser", "decided_by", world.admin.tokenId()));

        follow(browser.findElement(By.id("sign-out")));
        assertThat(browser.manage().getCookieNamed("auditrail_console")).isNull();
    }

    @Test
    void anAuditorOfAcmeCannotSeeGlobexInTheBrowserEither() throws Exception {
        signIn(world.auditorA);
        assertThat(browser.findElements(By.className("tenant"))).extracting(WebElement::getText)
                .containsExactly("acme");
        String globexEvent = world.globex.get(0).id().toString();
        for (String path : List.of("/events?tenant=globex", "/events/" + globexEvent, "/events/" + globexEvent
                        + "/raw", "/anomalies?tenant=globex", "/evidence?tenant=globex",
                "/evidence/pack?tenant=globex&from=2026-01-01&to=2026-12-01")) {
            browser.get(world.base + path);
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(path).isEqualTo("403 Not yours to see");
            assertThat(browser.getPageSource()).as(path).doesNotContain(ConsoleWorld.GLOBEX_MARK)
                    .doesNotContain("gina");
        }
        browser.get(world.base + "/events?tenant=acme");
        assertThat(eventRowTenants()).hasSize(ConsoleWorld.ACME_EVENTS).containsOnly("acme");
        try (Stream<Path> files = Files.list(downloads)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("globex"));
        }
    }

    private void signIn(CreatedToken token) {
        browser.get(world.base + "/");
        browser.manage().deleteAllCookies();
        browser.get(world.base + "/");
        browser.findElement(By.id("token")).sendKeys(token.bearer());
        follow(browser.findElement(By.id("sign-in")));
        assertThat(browser.findElements(By.id("who"))).as("signed in: %s", browser.getPageSource()).hasSize(1);
        assertThat(browser.findElement(By.id("who")).getText()).startsWith(token.tokenId());
    }

    /** Clicks something that loads a page, and waits until the old page is gone (a form post returns early). */
    private void follow(WebElement target) {
        WebElement page = browser.findElement(By.tagName("html"));
        target.click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            try {
                page.getTagName();
                return false;
            } catch (WebDriverException gone) {
                // stale, or, mid-navigation, "Node with given id does not belong to the document": either way gone
                return true;
            }
        });
    }

    private List<String> eventRowTenants() {
        List<String> out = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#events tr.event"))) {
            out.add(row.getAttribute("data-tenant"));
        }
        return out;
    }

    private Path awaitDownload(String prefix) {
        Path[] found = new Path[1];
        Awaitility.await("the pack download").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try (Stream<Path> files = Files.list(downloads)) {
                        found[0] = files.filter(p -> p.getFileName().toString().startsWith(prefix)
                                && p.getFileName().toString().endsWith(".zip")).findFirst().orElse(null);
                    }
                    return found[0] != null;
                });
        return found[0];
    }

    private static List<String> zipEntries(Path zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b + " in " + Arrays.toString(bytes));
    }
}
