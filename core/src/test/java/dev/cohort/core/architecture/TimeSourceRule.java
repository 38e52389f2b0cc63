package dev.cohort.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.util.Set;

/**
 * Core reads time only through what the {@code Cohort} builder is given: a {@link Clock} for
 * timestamps and a {@link dev.cohort.core.port.Ticker} for durations and deadlines. So no class
 * reads the system's time itself — no {@code System.nanoTime()}, {@code
 * System.currentTimeMillis()}, {@code Instant.now()} or other clock-less {@code now(...)}, no
 * {@code Clock.systemUTC()} — except the two defaults: {@code Ticker.SYSTEM} (nano time) and the
 * builder's default clock. Method references ({@code System::nanoTime}) count as reads.
 */
final class TimeSourceRule {
  private static final String TICKER = "dev.cohort.core.port.Ticker";
  private static final String BUILDER = "dev.cohort.core.Cohort$Builder";
  private static final Set<String> TIME_TYPES = Set.of("java.time.Instant", "java.time.LocalDate",
      "java.time.LocalDateTime", "java.time.LocalTime", "java.time.OffsetDateTime", "java.time.OffsetTime",
      "java.time.ZonedDateTime", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay");

  private TimeSourceRule() {}

  static final ArchRule ONLY_INJECTED_TIME = noClasses()
      .should().accessTargetWhere(readsSystemTime().and(DescribedPredicate.not(allowedDefault())))
      .as("no core class reads the system's time except Ticker.SYSTEM and the builder's default clock");

  /** An access that reads the system's clock rather than an injected one. */
  private static DescribedPredicate<JavaAccess<?>> readsSystemTime() {
    return DescribedPredicate.describe("reads the system time", access -> {
      AccessTarget target = access.getTarget();
      String owner = target.getOwner().getName();
      String name = target.getName();
      if (owner.equals("java.lang.System")) {
        return name.equals("nanoTime") || name.equals("currentTimeMillis");
      }
      if (owner.equals("java.time.Clock")) {
        return name.equals("systemUTC") || name.equals("systemDefaultZone") || name.equals("system");
      }
      if (TIME_TYPES.contains(owner) && name.equals("now")) {
        return !(target instanceof CodeUnitAccessTarget unit) || unit.getRawParameterTypes().stream()
            .map(JavaClass::getName).noneMatch(Clock.class.getName()::equals);
      }
      return false;
    });
  }

  /** The two default time sources, each the one place its kind of system time is read. */
  private static DescribedPredicate<JavaAccess<?>> allowedDefault() {
    return DescribedPredicate.describe("is a default time source", access -> {
      String origin = access.getOriginOwner().getName();
      String owner = access.getTarget().getOwner().getName();
      String name = access.getTarget().getName();
      return origin.equals(TICKER) && owner.equals("java.lang.System") && name.equals("nanoTime")
          || origin.equals(BUILDER) && owner.equals("java.time.Clock") && name.equals("systemUTC");
    });
  }
}
