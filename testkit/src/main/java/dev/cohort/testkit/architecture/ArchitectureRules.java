package dev.cohort.testkit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import dev.cohort.core.Cohort;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.FileWriter;
import java.io.RandomAccessFile;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cohort's architecture rules, written once for every module. A module's architecture test runs
 * the {@link ArchTest} fields below on its own production classes ({@code
 * ArchTests.in(ArchitectureRules.class)}); each rule only constrains the packages it names, so all
 * of them apply to every module. The factory methods take the root package so that a test can
 * prove each rule fails on a deliberately bad set of classes under another root.
 */
public final class ArchitectureRules {
  /** The root package of every Cohort module: {@code dev.cohort.<module>..} is module {@code dev.cohort.<module>}. */
  public static final String ROOT = "dev.cohort";

  /**
   * Which Cohort modules each module's production code may use (besides itself). Core uses no
   * adapter; the driven adapters (inmemory, jdbc, openai) and the REST server use only core; the
   * CLI and the examples wire adapters together; the test kit sees only core.
   */
  private static final Map<String, Set<String>> MAY_USE = mayUse();

  /** Dependencies point inward only: see {@link #dependenciesPointInward(String)}. */
  @ArchTest
  public static final ArchRule DEPENDENCIES_POINT_INWARD = dependenciesPointInward(ROOT);

  /** Core's internal packages stay in core: see {@link #coreInternalsStayInCore(String, ModuleDescriptor)}. */
  @ArchTest
  public static final ArchRule CORE_INTERNALS_STAY_IN_CORE = coreInternalsStayInCore(ROOT, coreModuleDescriptor());

  /** No cycles between packages: see {@link #noPackageCycles(String)}. */
  @ArchTest
  public static final ArchRule NO_PACKAGE_CYCLES = noPackageCycles(ROOT);

  /** Core does no I/O of its own: see {@link #coreDoesNoIo(String)}. */
  @ArchTest
  public static final ArchRule CORE_DOES_NO_IO = coreDoesNoIo(ROOT);

  /**
   * The imported classes include Cohort production classes: every other rule allows an empty
   * import (each constrains only some modules), so without this one a test that imported nothing
   * would pass without having looked.
   */
  @ArchTest
  public static final ArchRule COHORT_CLASSES_WERE_IMPORTED = classes().that().resideInAPackage(ROOT + "..")
      .should().haveNameMatching(Pattern.quote(ROOT) + "\\..*")
      .because("an architecture test that imported no Cohort class would pass without having looked");

  private ArchitectureRules() {}

  /**
   * Dependencies point inward: {@code <root>.core} uses no adapter, {@code inmemory}, {@code jdbc},
   * {@code openai}, {@code analysis} and {@code testkit} use no module but core, {@code http} uses
   * core and analysis, and {@code cli} and {@code examples} use neither the test kit nor each other.
   *
   * @param root the root package whose subpackages {@code core}, {@code jdbc}, … are the modules
   */
  public static ArchRule dependenciesPointInward(String root) {
    requireRoot(root);
    List<ArchRule> rules = new ArrayList<>();
    MAY_USE.forEach((module, allowed) -> {
      String[] forbidden = MAY_USE.keySet().stream()
          .filter(other -> !other.equals(module) && !allowed.contains(other))
          .map(other -> root + "." + other + "..")
          .toArray(String[]::new);
      rules.add(noClasses().that().resideInAPackage(root + "." + module + "..")
          .should().dependOnClassesThat().resideInAnyPackage(forbidden)
          .because(module + " may use only " + (allowed.isEmpty() ? "itself" : String.join(", ", allowed)))
          .allowEmptyShould(true));
    });
    CompositeArchRule all = CompositeArchRule.of(rules.get(0));
    for (ArchRule rule : rules.subList(1, rules.size())) {
      all = all.and(rule);
    }
    return all;
  }

  /**
   * No class outside {@code <root>.core} uses {@code <root>.core.internal..}, except a package that
   * {@code core} exports to that class's module by name ({@code exports X to Y} in its {@code
   * module-info.java}); so the module-path rule and this class-path check agree.
   *
   * @param root the root package
   * @param core core's module descriptor, whose qualified exports are the allowed uses
   */
  public static ArchRule coreInternalsStayInCore(String root, ModuleDescriptor core) {
    requireRoot(root);
    Objects.requireNonNull(core, "core");
    return classes().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".core..")
        .should(new InternalPackageUse(root, core))
        .because("core's internal packages are not API; an adapter that needs one gets a qualified export")
        .allowEmptyShould(true);
  }

  /**
   * No cycles between any two packages under the root, the root package itself included (a
   * facade in {@code <root>.core} and a type in {@code <root>.core.batch} that use each other are
   * a cycle).
   *
   * @param root the root package
   */
  public static ArchRule noPackageCycles(String root) {
    requireRoot(root);
    return slices().assignedFrom(new PackageSlices(root)).should().beFreeOfCycles()
        .because("a package cycle makes the packages one unit that cannot be understood or split apart")
        .allowEmptyShould(true);
  }

  /**
   * {@code <root>.core} does no file, network or SQL I/O and writes nothing to the console: no
   * {@code java.sql}/{@code javax.sql}, no {@code java.net} (not even {@code URI}: endpoints are an
   * adapter's business), no {@code java.nio.file}, no {@code java.io.File} or file streams, no
   * {@code System.out}/{@code System.err}. Exporters write to a caller's stream.
   *
   * @param root the root package
   */
  public static ArchRule coreDoesNoIo(String root) {
    requireRoot(root);
    return noClasses().that().resideInAPackage(root + ".core..")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.net..", "java.nio.file..")
        .orShould().dependOnClassesThat().belongToAnyOf(File.class, FileInputStream.class, FileOutputStream.class,
            FileReader.class, FileWriter.class, RandomAccessFile.class)
        .orShould().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .because("core does no I/O of its own; adapters do")
        .allowEmptyShould(true);
  }

  /**
   * The module descriptor of the module that holds {@code anchor}, read from the jar or classes
   * directory the class was loaded from (so it works on the class path too).
   *
   * @param anchor any class of the module
   * @throws IllegalStateException if that location has no {@code module-info.class}
   */
  public static ModuleDescriptor moduleDescriptorOf(Class<?> anchor) {
    Objects.requireNonNull(anchor, "anchor");
    Path location;
    try {
      location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + anchor.getName(), e);
    }
    return ModuleFinder.of(location).findAll().stream()
        .map(ModuleReference::descriptor)
        .filter(descriptor -> !descriptor.isAutomatic())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(location + " (holding " + anchor.getName()
            + ") has no module-info.class"));
  }

  private static ModuleDescriptor coreModuleDescriptor() {
    return moduleDescriptorOf(Cohort.class);
  }

  private static Map<String, Set<String>> mayUse() {
    Map<String, Set<String>> mayUse = new LinkedHashMap<>();
    mayUse.put("core", Set.of());
    mayUse.put("inmemory", Set.of("core"));
    mayUse.put("jdbc", Set.of("core"));
    mayUse.put("openai", Set.of("core"));
    mayUse.put("analysis", Set.of("core"));
    mayUse.put("http", Set.of("core", "analysis"));
    mayUse.put("testkit", Set.of("core"));
    mayUse.put("cli", Set.of("core", "inmemory", "jdbc", "openai", "http", "analysis"));
    mayUse.put("examples", Set.of("core", "inmemory", "jdbc", "openai", "http", "analysis"));
    return mayUse;
  }

  private static void requireRoot(String root) {
    Objects.requireNonNull(root, "root");
    if (root.isBlank() || root.startsWith(".") || root.endsWith(".")) {
      throw new IllegalArgumentException("root must be a package name such as dev.cohort, was '" + root + "'");
    }
  }
}
