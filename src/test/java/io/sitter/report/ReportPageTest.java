package io.sitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReportPageTest {

  @Test
  void numbersReadShortAndExact() {
    assertEquals("0.005", ReportPage.number(0.005));
    assertEquals("1.2e-05", ReportPage.number(1.2e-5));
    assertEquals("2", ReportPage.number(2.0));
    assertEquals("0.3101", ReportPage.number(0.310123));
    assertEquals("1.235e+06", ReportPage.number(1234567.0));
    assertEquals("NaN", ReportPage.number(Double.NaN));
    assertEquals("-Infinity", ReportPage.number(Double.NEGATIVE_INFINITY));
    assertEquals("–", ReportPage.number(null));
    assertEquals("89.10%", ReportPage.percent(0.891));
    assertEquals("2 min 05 s", ReportPage.duration(125));
    assertEquals("1 h 01 min", ReportPage.duration(3661));
  }

  @Test
  void textAndScriptsCannotBreakOutOfThePage() throws Exception {
    assertEquals("&lt;/td&gt;&amp;&quot;&#39;", ReportPage.html("</td>&\"'"));
    String json = "{\"reason\":\"</script><script>alert(1)</script>\"}";
    String safe = ReportPage.jsonInScript(json);
    assertEquals(-1, safe.indexOf('<'));
    assertEquals(RunFixture.JSON.readTree(json), RunFixture.JSON.readTree(safe), "the same JSON value");
    assertThrows(IllegalStateException.class, () -> ReportPage.checkedScript("var a = '</SCRIPT>';", "x.js"));
  }
}
