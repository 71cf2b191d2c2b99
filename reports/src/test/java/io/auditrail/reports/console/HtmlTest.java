package io.auditrail.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void textAndAttributeValuesAreEscaped() {
        String hostile = "<script>alert('x')</script>&\"";
        String html = new Html().open("a", "href", hostile, "title", null).text(hostile).close("a").toString();
        assertThat(html).isEqualTo("<a href=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\">"
                + "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;</a>");
    }

    @Test
    void urlsEncodeEveryValueAndLeaveOutAbsentOnes() {
        assertThat(Html.url("/events", "tenant", "a&b c", "from", null, "path_prefix", "x/<y>"))
                .isEqualTo("/events?tenant=a%26b+c&path_prefix=x%2F%3Cy%3E");
        assertThat(Html.url("/events")).isEqualTo("/events");
        assertThat(Html.segment("a b/c")).isEqualTo("a%20b%2Fc");
    }

    @Test
    void theCspAllowsExactlyTheInlineStylesheet() throws Exception {
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(ConsoleStyle.INSTANCE.css().getBytes(StandardCharsets.UTF_8)));
        assertThat(ConsoleStyle.INSTANCE.contentSecurityPolicy()).isEqualTo("default-src 'none'; style-src 'sha256-"
                + hash + "'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(new Html().style(ConsoleStyle.INSTANCE).toString())
                .isEqualTo("<style>" + ConsoleStyle.INSTANCE.css() + "</style>");
    }
}
