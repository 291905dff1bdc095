package jplay.engine.yaml;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Loads YAML into {@link Node}s that keep file:line:column, reading scalars the way Ansible (PyYAML, YAML 1.1)
 * does: {@code yes/no/on/off} are booleans, {@code 0644} is octal, {@code <<} merges. Duplicate keys are an error
 * rather than Ansible's "using last defined value" warning: a silently dropped key is a bug waiting to happen.
 *
 * <pre>{@code
 * Optional<Node> doc = YamlLoader.load(Path.of("site.yml"));
 * }</pre>
 */
public final class YamlLoader {
  /** Files larger than this are refused before parsing (a playbook is never this big). */
  public static final long MAX_BYTES = 32L * 1024 * 1024;

  private static final Pattern BOOL_TRUE = Pattern.compile("yes|Yes|YES|true|True|TRUE|on|On|ON");
  private static final Pattern BOOL_FALSE = Pattern.compile("no|No|NO|false|False|FALSE|off|Off|OFF");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern INT_DEC = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
  private static final Pattern INT_OCT = Pattern.compile("[-+]?0[0-7_]+");
  private static final Pattern INT_HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
  private static final Pattern INT_BIN = Pattern.compile("[-+]?0b[01_]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+");
  private static final Pattern INF = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
  private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

  private final String file;
  private final Map<org.snakeyaml.engine.v2.nodes.Node, Node> converted = new IdentityHashMap<>();
  private final List<SourceError> errors = new ArrayList<>();

  private YamlLoader(String file) {
    this.file = file;
  }

  /** The single document in {@code path}; empty for an empty file. */
  public static Optional<Node> load(Path path) throws SourceException {
    List<Node> docs = loadAll(path);
    if (docs.size() > 1) {
      throw new SourceException(docs.get(1).mark(), "expected one YAML document, found " + docs.size());
    }
    return docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(0));
  }

  public static List<Node> loadAll(Path path) throws SourceException {
    String name = path.toString();
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new SourceException(Mark.of(name), "file is larger than " + (MAX_BYTES >> 20) + " MiB; not a playbook?");
      }
      byte[] bytes = Files.readAllBytes(path);
      if (jplay.engine.vault.Vault.isEncrypted(bytes)) {
        bytes = decryptFile(bytes, name);
      }
      return loadAll(decode(bytes, name), name);
    } catch (IOException e) {
      throw new SourceException(Mark.of(name), "cannot read: " + describe(e));
    }
  }

  /** The single document in {@code text}; {@code file} names it in errors. */
  public static Optional<Node> load(String text, String file) throws SourceException {
    List<Node> docs = loadAll(text, file);
    return docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(0));
  }

  public static List<Node> loadAll(String text, String file) throws SourceException {
    if (text.indexOf('\0') >= 0) {
      throw new SourceException(Mark.of(file), "file holds binary data (a NUL byte), not YAML text");
    }
    YamlLoader loader = new YamlLoader(file);
    List<Node> docs = new ArrayList<>();
    LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(true).build();
    try {
      Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      while (composer.hasNext()) {
        org.snakeyaml.engine.v2.nodes.Node n = composer.next();
        docs.add(loader.convert(n));
      }
    } catch (MarkedYamlEngineException e) {
      throw new SourceException(loader.markOf(e), yamlMessage(e, text));
    } catch (YamlEngineException e) {
      throw new SourceException(Mark.of(file), "invalid YAML: " + e.getMessage());
    }
    if (!loader.errors.isEmpty()) {
      throw new SourceException(loader.errors);
    }
    return docs;
  }

  /** A whole vault-encrypted file, decrypted with the run's vault passwords (Ansible decrypts any file it reads). */
  public static byte[] decryptFile(byte[] bytes, String name) throws SourceException {
    try {
      return jplay.engine.vault.Vault.current().decrypt(decode(bytes, name), "the file");
    } catch (jplay.engine.vault.VaultException e) {
      throw new SourceException(new Mark(name, 1, 1), e.getMessage());
    }
  }

  static String decode(byte[] bytes, String name) throws SourceException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SourceException(Mark.of(name), "file is not UTF-8 text (binary file?)");
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private Mark markOf(MarkedYamlEngineException e) {
    var m = e.getProblemMark().or(e::getContextMark);
    return m.map(x -> new Mark(file, x.getLine() + 1, x.getColumn() + 1)).orElse(Mark.of(file));
  }

  private static String yamlMessage(MarkedYamlEngineException e, String text) {
    String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext() + ", ";
    String hint = "";
    var m = e.getProblemMark();
    if (m.isPresent()) {
      int line = m.get().getLine();
      String[] lines = text.split("\n", -1);
      if (line < lines.length && lines[line].startsWith("\t") || problem.contains("\\t")) {
        hint = " (YAML does not allow tabs for indentation: use spaces)";
      } else if (problem.contains("mapping values are not allowed")) {
        hint = " (is a value holding ': ' unquoted, or a key indented wrongly?)";
      }
    }
    return "invalid YAML: " + context + problem + hint;
  }

  private Mark mark(org.snakeyaml.engine.v2.nodes.Node n) {
    return n.getStartMark()
        .map(x -> new Mark(file, x.getLine() + 1, x.getColumn() + 1))
        .orElse(Mark.of(file));
  }

  private Node convert(org.snakeyaml.engine.v2.nodes.Node n) {
    Node done = converted.get(n);
    if (done != null) {
      return done;
    }
    Node out;
    if (n instanceof ScalarNode s) {
      out = scalar(s);
    } else if (n instanceof SequenceNode s) {
      // Register a placeholder first: a recursive alias must not loop forever.
      converted.put(n, new Node.Seq(List.of(), mark(n)));
      List<Node> items = new ArrayList<>();
      for (org.snakeyaml.engine.v2.nodes.Node item : s.getValue()) {
        items.add(convert(item));
      }
      out = new Node.Seq(items, mark(n));
    } else {
      MappingNode m = (MappingNode) n;
      converted.put(n, new Node.MapNode(List.of(), mark(n)));
      out = mapping(m);
    }
    converted.put(n, out);
    return out;
  }

  private Node.MapNode mapping(MappingNode m) {
    List<Node.Entry> entries = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    List<Node.Entry> merged = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
        errors.add(new SourceError(mark(t.getKeyNode()), "a mapping key must be a plain value, not a list or mapping"));
        continue;
      }
      Node value = convert(t.getValueNode());
      if (keyNode.getScalarStyle() == ScalarStyle.PLAIN && keyNode.getValue().equals("<<")) {
        collectMerge(value, merged);
        continue;
      }
      Node.Scalar key = (Node.Scalar) convert(keyNode);
      Integer previous = index.get(key.text());
      if (previous != null) {
        errors.add(
            new SourceError(
                key.mark(),
                "duplicate key '" + key.text() + "' (first at line " + entries.get(previous).key().mark().line()
                    + "): remove one"));
        continue;
      }
      index.put(key.text(), entries.size());
      entries.add(new Node.Entry(key, value));
    }
    for (Node.Entry e : merged) {
      if (!index.containsKey(e.key().text())) {
        index.put(e.key().text(), entries.size());
        entries.add(e);
      }
    }
    return new Node.MapNode(entries, mark(m));
  }

  private void collectMerge(Node value, List<Node.Entry> into) {
    if (value instanceof Node.MapNode mm) {
      into.addAll(mm.entries());
    } else if (value instanceof Node.Seq seq) {
      for (Node item : seq.items()) {
        collectMerge(item, into);
      }
    } else {
      errors.add(new SourceError(value.mark(), "'<<' merges a mapping (or a list of mappings), not a scalar"));
    }
  }

  private Node.Scalar scalar(ScalarNode s) {
    String text = s.getValue();
    String tag = s.getTag().getValue();
    boolean quoted = s.getScalarStyle() != ScalarStyle.PLAIN;
    if (tag.equals("!vault")) {
      // Decrypted as the file is read, so a missing or wrong password is reported here, before any host is
      // touched; the value is text, as Ansible's AnsibleVaultEncryptedUnicode.
      try {
        String plain = jplay.engine.vault.Vault.current().decryptText(text, "this !vault value");
        return new Node.Scalar(plain, plain, true, tag, mark(s));
      } catch (jplay.engine.vault.VaultException e) {
        errors.add(new SourceError(mark(s), e.getMessage()));
        return new Node.Scalar("", "", true, tag, mark(s));
      }
    }
    // Quoted scalars and custom tags (!vault, !unsafe) stay text; plain ones get YAML 1.1 typing.
    Object value = quoted || tag.startsWith("!") ? text : resolve(text);
    return new Node.Scalar(text, value, quoted, tag, mark(s));
  }

  /** YAML 1.1 implicit typing of a plain scalar, as PyYAML (and so Ansible) does it. */
  public static Object resolve(String text) {
    if (NULL.matcher(text).matches()) {
      return null;
    }
    if (BOOL_TRUE.matcher(text).matches()) {
      return Boolean.TRUE;
    }
    if (BOOL_FALSE.matcher(text).matches()) {
      return Boolean.FALSE;
    }
    try {
      if (INT_DEC.matcher(text).matches()) {
        return narrow(Long.parseLong(text.replace("_", "")));
      }
      if (INT_HEX.matcher(text).matches()) {
        return narrow(signed(text, t -> Long.parseLong(t.substring(2), 16)));
      }
      if (INT_BIN.matcher(text).matches()) {
        return narrow(signed(text, t -> Long.parseLong(t.substring(2), 2)));
      }
      if (INT_OCT.matcher(text).matches()) {
        return narrow(signed(text, t -> Long.parseLong(t.substring(1), 8)));
      }
      if (FLOAT.matcher(text).matches() && !text.equals(".") && !text.matches("[-+]?\\.")) {
        return Double.parseDouble(text.replace("_", ""));
      }
    } catch (NumberFormatException e) {
      return text;
    }
    if (INF.matcher(text).matches()) {
      return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (NAN.matcher(text).matches()) {
      return Double.NaN;
    }
    return text;
  }

  private static long signed(String text, java.util.function.ToLongFunction<String> parse) {
    String t = text.replace("_", "");
    boolean negative = t.startsWith("-");
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    long v = parse.applyAsLong(t);
    return negative ? -v : v;
  }

  private static Object narrow(long v) {
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
  }
}
