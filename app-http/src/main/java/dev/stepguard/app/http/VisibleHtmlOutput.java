package dev.stepguard.app.http;

import dev.stepguard.core.model.VisibleText;
import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;

/**
 * The pages' HTML output: every value a template writes is HTML-escaped (jte's OWASP output) after
 * its control, bidirectional and invisible characters are made visible as escapes, so that a script
 * name with U+202E reads as what it is ({@code inv\u202egpj.py}, not "invyp.jpg") in an audit page,
 * as it does in the log and the command line.
 */
final class VisibleHtmlOutput extends OwaspHtmlTemplateOutput {
  VisibleHtmlOutput(TemplateOutput output) {
    super(output);
  }

  @Override
  public void writeUserContent(String value) {
    super.writeUserContent(value == null ? null : VisibleText.safe(value));
  }
}
