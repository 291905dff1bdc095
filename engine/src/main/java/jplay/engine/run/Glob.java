package jplay.engine.run;

import java.util.regex.Pattern;

/** Python's {@code fnmatch}: {@code *}, {@code ?} and {@code [...]}, for {@code --start-at-task}. */
final class Glob {
  private Glob() {}

  static boolean matches(String glob, String text) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int close = glob.indexOf(']', i + 1);
          if (close < 0) {
            re.append("\\[");
          } else {
            String set = glob.substring(i + 1, close);
            re.append('[').append(set.startsWith("!") ? "^" + Pattern.quote(set.substring(1)) : Pattern.quote(set))
                .append(']');
            i = close;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(text).matches();
  }
}
