package dev.cohort.testkit.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A class outside core uses {@code <root>.core.internal..} only where core's module descriptor
 * exports that internal package to the class's own module ({@code exports X to Y}). A class's
 * module is named after the first package segment below the root: {@code dev.cohort.jdbc.X} is in
 * module {@code dev.cohort.jdbc}. So the rule and {@code module-info.java} cannot disagree: a
 * qualified export is the one way to allow a use, and the rule checks class-path users too.
 */
final class InternalPackageUse extends ArchCondition<JavaClass> {
  private final String root;
  private final String internalPrefix;
  private final Map<String, Set<String>> qualifiedExports;

  InternalPackageUse(String root, ModuleDescriptor core) {
    super("use " + root + ".core.internal.. only where core exports that package to their module");
    this.root = root;
    this.internalPrefix = root + ".core.internal";
    this.qualifiedExports = core.exports().stream()
        .filter(ModuleDescriptor.Exports::isQualified)
        .collect(Collectors.toUnmodifiableMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
  }

  @Override
  public void check(JavaClass item, ConditionEvents events) {
    String module = moduleOf(item.getPackageName());
    for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
      String target = dependency.getTargetClass().getPackageName();
      boolean internal = target.equals(internalPrefix) || target.startsWith(internalPrefix + ".");
      if (internal && !qualifiedExports.getOrDefault(target, Set.of()).contains(module)) {
        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
            + " (core does not export " + target + " to " + module + ")"));
      }
    }
  }

  private String moduleOf(String packageName) {
    if (!packageName.startsWith(root + ".")) {
      return packageName;
    }
    String below = packageName.substring(root.length() + 1);
    int dot = below.indexOf('.');
    return root + "." + (dot < 0 ? below : below.substring(0, dot));
  }
}
