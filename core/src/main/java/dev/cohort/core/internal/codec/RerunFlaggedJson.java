package dev.cohort.core.internal.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.QualityFlag;
import dev.cohort.core.batch.ValidationException.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a request's {@code rerun_flagged}: an array of quality flag wire names, such as
 * {@code ["repetition", "refusal"]}; absent or empty for none.
 */
final class RerunFlaggedJson {
  static final String FIELD = "rerun_flagged";

  private RerunFlaggedJson() {}

  /** Reads the field into {@code builder}, recording an error for each name that is no flag. */
  static void read(JsonFields fields, List<FieldError> errors, BatchRequest.Builder builder) {
    if (!fields.has(FIELD)) {
      return;
    }
    @Nullable List<String> names = fields.texts(FIELD, false);
    if (names == null) {
      return;
    }
    Set<QualityFlag> flags = EnumSet.noneOf(QualityFlag.class);
    List<String> known = new ArrayList<>();
    for (QualityFlag flag : QualityFlag.values()) {
      known.add(flag.wireName());
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int index = i;
      QualityFlag.fromWireName(name).ifPresentOrElse(flags::add, () -> errors.add(new FieldError(
          FIELD + "[" + index + "]", "must be a quality flag, one of " + known + ", was '" + name + "'")));
    }
    builder.rerunFlagged(flags);
  }

  /** Writes the field: the flags' wire names in flag order, an empty array for none. */
  static void write(JsonGenerator gen, BatchRequest request) throws IOException {
    gen.writeFieldName(FIELD);
    JsonText.writeStrings(gen, request.rerunFlagged().stream().map(QualityFlag::wireName)
        .collect(Collectors.toList()));
  }
}
