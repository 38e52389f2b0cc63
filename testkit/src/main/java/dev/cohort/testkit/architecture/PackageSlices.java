package dev.cohort.testkit.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * One slice per package under a root package, the root package itself included. ArchUnit's
 * {@code slices().matching("dev.cohort.core.(**)")} leaves the classes of {@code dev.cohort.core}
 * itself out of every slice, so a cycle between the facade's package and {@code batch} or {@code
 * port} would go unseen; assigning slices by exact package name sees it.
 */
final class PackageSlices implements SliceAssignment {
  private final String root;

  PackageSlices(String root) {
    this.root = root;
  }

  @Override
  public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
    String name = javaClass.getPackageName();
    return name.equals(root) || name.startsWith(root + ".") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
  }

  @Override
  public String getDescription() {
    return "every package under " + root + ", " + root + " itself included";
  }
}
