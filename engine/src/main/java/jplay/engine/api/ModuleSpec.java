package jplay.engine.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the engine knows about a module, declared once as data: its names, its parameters and their rules.
 * Validation ({@link Args#bind}), {@code jplay doc} and console completion are all derived from it.
 *
 * <pre>{@code
 * ModuleSpec.builder("file")
 *     .aliases("ansible.builtin.file")
 *     .summary("Manage files and directories")
 *     .param(Param.path("path").required().aliases("dest", "name"))
 *     .param(Param.str("state").choices("file", "directory", "touch", "absent"))
 *     .build();
 * }</pre>
 *
 * @param name the short name users write ({@code file})
 * @param aliases other names that resolve to this module, such as Ansible's fully-qualified ones
 * @param summary one line for {@code jplay doc --list}
 * @param description longer prose for {@code jplay doc MODULE}
 * @param params the parameters, in documentation order
 * @param freeForm the module takes a free-form string ({@code command: ls -l}); it lands in {@code _raw_params}
 * @param mutuallyExclusive groups of parameters of which at most one may be given
 * @param requiredOneOf groups of parameters of which at least one must be given
 * @param checkMode whether the module can honour {@code --check} (all native modules do)
 * @param examples YAML examples shown by {@code jplay doc}
 */
public record ModuleSpec(
    String name,
    List<String> aliases,
    String summary,
    String description,
    List<Param> params,
    boolean freeForm,
    List<List<String>> mutuallyExclusive,
    List<List<String>> requiredOneOf,
    boolean checkMode,
    String examples) {

  /** The key under which a free-form module receives its string. */
  public static final String RAW_PARAMS = "_raw_params";

  public ModuleSpec {
    Objects.requireNonNull(name, "name");
    aliases = List.copyOf(aliases);
    params = List.copyOf(params);
    mutuallyExclusive = mutuallyExclusive.stream().map(List::copyOf).toList();
    requiredOneOf = requiredOneOf.stream().map(List::copyOf).toList();
    summary = summary == null ? "" : summary;
    description = description == null ? "" : description;
    examples = examples == null ? "" : examples;
  }

  /** The parameter that answers to {@code key} (its name or an alias). */
  public Optional<Param> param(String key) {
    return params.stream().filter(p -> p.answersTo(key)).findFirst();
  }

  /** All names users may write for a parameter, aliases included; for "did you mean" and completion. */
  public List<String> paramNames() {
    List<String> names = new ArrayList<>();
    for (Param p : params) {
      names.add(p.name());
      names.addAll(p.aliases());
    }
    return names;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link ModuleSpec}; every field but the name is optional. */
  public static final class Builder {
    private final String name;
    private final List<String> aliases = new ArrayList<>();
    private String summary = "";
    private String description = "";
    private final List<Param> params = new ArrayList<>();
    private boolean freeForm;
    private final List<List<String>> mutuallyExclusive = new ArrayList<>();
    private final List<List<String>> requiredOneOf = new ArrayList<>();
    private boolean checkMode = true;
    private String examples = "";

    private Builder(String name) {
      this.name = name;
    }

    public Builder aliases(String... names) {
      aliases.addAll(List.of(names));
      return this;
    }

    public Builder summary(String text) {
      summary = text;
      return this;
    }

    public Builder description(String text) {
      description = text;
      return this;
    }

    public Builder param(Param p) {
      params.add(p);
      return this;
    }

    public Builder freeForm() {
      freeForm = true;
      return this;
    }

    public Builder mutuallyExclusive(String... names) {
      mutuallyExclusive.add(List.of(names));
      return this;
    }

    public Builder requiredOneOf(String... names) {
      requiredOneOf.add(List.of(names));
      return this;
    }

    public Builder checkMode(boolean supported) {
      checkMode = supported;
      return this;
    }

    public Builder examples(String yaml) {
      examples = yaml;
      return this;
    }

    public ModuleSpec build() {
      return new ModuleSpec(
          name, aliases, summary, description, params, freeForm, mutuallyExclusive, requiredOneOf, checkMode,
          examples);
    }
  }
}
