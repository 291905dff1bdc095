package jplay.modules.facts;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ansible's date_time fact, computed from one reading of the host's clock ({@code date '+%s %N %z %Z'}) so all
 * fields agree, plus the zone's January and July offsets to name its daylight-saving abbreviation (tz_dst).
 */
final class DateTime {
  private DateTime() {}

  static Map<String, Object> facts(List<String> lines) {
    String[] now = SystemFacts.at(lines, 0).trim().split("\\s+");
    if (now.length < 3 || !now[0].matches("-?\\d+")) {
      return Map.of();
    }
    long epoch = Long.parseLong(now[0]);
    int nanos = now[1].matches("\\d{1,9}") ? Integer.parseInt((now[1] + "000000000").substring(0, 9)) : 0;
    String offsetText = now[2];
    String tz = now.length > 3 ? now[3] : "";
    ZoneOffset offset = parseOffset(offsetText);
    Instant instant = Instant.ofEpochSecond(epoch, nanos);
    LocalDateTime local = LocalDateTime.ofInstant(instant, offset);
    LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    int micros = nanos / 1000;

    Map<String, Object> d = new LinkedHashMap<>();
    d.put("year", fmt(local, "uuuu"));
    d.put("month", fmt(local, "MM"));
    d.put("weekday", local.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    int weekdayNumber = local.getDayOfWeek().getValue() % 7;
    d.put("weekday_number", String.valueOf(weekdayNumber));
    // strftime %W: weeks starting on Monday, days before the year's first Monday in week 00.
    int yday = local.getDayOfYear() - 1;
    int weekNumber = (yday + 7 - ((weekdayNumber + 6) % 7)) / 7;
    d.put("weeknumber", String.format(Locale.ROOT, "%02d", weekNumber));
    d.put("day", fmt(local, "dd"));
    d.put("hour", fmt(local, "HH"));
    d.put("minute", fmt(local, "mm"));
    d.put("second", fmt(local, "ss"));
    d.put("epoch", String.valueOf(epoch));
    d.put("epoch_int", String.valueOf(epoch));
    d.put("date", fmt(local, "uuuu-MM-dd"));
    d.put("time", fmt(local, "HH:mm:ss"));
    d.put("iso8601_micro", fmt(utc, "uuuu-MM-dd'T'HH:mm:ss") + String.format(Locale.ROOT, ".%06dZ", micros));
    d.put("iso8601", fmt(utc, "uuuu-MM-dd'T'HH:mm:ss") + "Z");
    d.put("iso8601_basic", fmt(local, "uuuuMMdd'T'HHmmss") + String.format(Locale.ROOT, "%06d", micros));
    d.put("iso8601_basic_short", fmt(local, "uuuuMMdd'T'HHmmss"));
    d.put("tz", tz);
    d.put("tz_dst", dstName(tz, SystemFacts.at(lines, 1), SystemFacts.at(lines, 2)));
    d.put("tz_offset", offsetText);
    return Map.of("date_time", d);
  }

  /** Python's time.tzname[1]: the abbreviation in force when the offset is larger; the zone's own if none is. */
  private static String dstName(String tz, String january, String july) {
    String[] jan = january.trim().split("\\s+");
    String[] jul = july.trim().split("\\s+");
    if (jan.length < 2 || jul.length < 2) {
      return tz;
    }
    int janOffset = parseOffset(jan[0]).getTotalSeconds();
    int julOffset = parseOffset(jul[0]).getTotalSeconds();
    if (janOffset == julOffset) {
      return jan[1];
    }
    return julOffset > janOffset ? jul[1] : jan[1];
  }

  private static ZoneOffset parseOffset(String text) {
    if (!text.matches("[+-]\\d{4}")) {
      return ZoneOffset.UTC;
    }
    int sign = text.charAt(0) == '-' ? -1 : 1;
    int hours = Integer.parseInt(text.substring(1, 3));
    int minutes = Integer.parseInt(text.substring(3, 5));
    return ZoneOffset.ofTotalSeconds(sign * (hours * 3600 + minutes * 60));
  }

  private static String fmt(LocalDateTime t, String pattern) {
    return t.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH));
  }
}
