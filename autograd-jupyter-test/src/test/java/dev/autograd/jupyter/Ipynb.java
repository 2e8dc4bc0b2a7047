package dev.autograd.jupyter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes Jupyter notebooks (nbformat 4.4) for the Kotlin kernel, with outputs. */
final class Ipynb {
  private Ipynb() {}

  /**
   * A markdown or code cell; for code, whether it was executed (it gets an execution count), what
   * it printed and its displayed value by MIME type.
   */
  record Cell(String kind, String source, boolean executed, String stdout, Map<String, String> data) {}

  static String write(List<Cell> cells) {
    StringBuilder sb = new StringBuilder("{\n \"cells\": [");
    int count = 0;
    for (int i = 0; i < cells.size(); i++) {
      Cell c = cells.get(i);
      sb.append(i == 0 ? "\n" : ",\n").append("  {\n   \"cell_type\": ").append(str(c.kind())).append(",\n");
      if (c.kind().equals("code")) {
        int n = c.executed() ? ++count : 0;
        sb.append("   \"execution_count\": ").append(c.executed() ? String.valueOf(n) : "null").append(",\n   \"metadata\": {},\n   \"outputs\": [");
        List<String> outputs = new ArrayList<>();
        if (!c.stdout().isEmpty()) {
          outputs.add("\n    {\n     \"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": " + lines(c.stdout(), 5) + "\n    }");
        }
        if (!c.data().isEmpty()) {
          StringBuilder d = new StringBuilder("\n    {\n     \"data\": {");
          int k = 0;
          for (Map.Entry<String, String> e : c.data().entrySet()) {
            d.append(k++ == 0 ? "\n" : ",\n").append("      ").append(str(e.getKey())).append(": ")
                .append(e.getKey().equals("image/png") ? str(e.getValue()) : lines(e.getValue(), 6));
          }
          d.append("\n     },\n     \"execution_count\": ").append(n).append(",\n     \"metadata\": {},\n     \"output_type\": \"execute_result\"\n    }");
          outputs.add(d.toString());
        }
        sb.append(String.join(",", outputs)).append(outputs.isEmpty() ? "" : "\n   ").append("],\n");
      } else {
        sb.append("   \"metadata\": {},\n");
      }
      sb.append("   \"source\": ").append(lines(c.source(), 3)).append("\n  }");
    }
    sb.append("\n ],\n \"metadata\": {\n  \"kernelspec\": {\n   \"display_name\": \"Kotlin\",\n   \"language\": \"kotlin\",\n   \"name\": \"kotlin\"\n  },\n")
        .append("  \"language_info\": {\n   \"codemirror_mode\": \"text/x-kotlin\",\n   \"file_extension\": \".kt\",\n   \"mimetype\": \"text/x-kotlin\",\n")
        .append("   \"name\": \"kotlin\",\n   \"nbconvert_exporter\": \"\",\n   \"pygments_lexer\": \"kotlin\"\n  }\n },\n \"nbformat\": 4,\n \"nbformat_minor\": 4\n}\n");
    return sb.toString();
  }

  // a multi-line string as nbformat's list of lines, each but the last ending in \n
  private static String lines(String text, int indent) {
    String pad = " ".repeat(indent);
    List<String> parts = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      int end = nl < 0 ? text.length() : nl + 1;
      parts.add(str(text.substring(from, end)));
      from = end;
    }
    if (parts.isEmpty()) return "[]";
    return "[\n" + pad + " " + String.join(",\n" + pad + " ", parts) + "\n" + pad + "]";
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
          else sb.append(ch);
        }
      }
    }
    return sb.append('"').toString();
  }
}
