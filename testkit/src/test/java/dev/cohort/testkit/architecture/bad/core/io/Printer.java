package dev.cohort.testkit.architecture.bad.core.io;

import java.io.File;

/** Fixture: core code that prints to the console and touches a file. */
public final class Printer {
  private Printer() {}

  /** Prints whether a file exists. */
  public static void print(String path) {
    System.out.println(new File(path).exists());
  }
}
