package dev.cohort.core.internal.provenance;

import dev.cohort.core.batch.Batch;
import dev.cohort.core.batch.TurnsDigest;
import dev.cohort.core.internal.codec.BatchRequestJson;
import dev.cohort.core.internal.codec.EntityJson;
import dev.cohort.core.port.BatchSeal;

/** The digests of what a batch was created from, over the same JSON the stores keep. */
public final class Seals {
  private Seals() {}

  /** The batch's seal: SHA-256 of its request's and of its entity snapshot's canonical JSON. */
  public static BatchSeal of(Batch batch) {
    return new BatchSeal(TurnsDigest.sha256(BatchRequestJson.write(batch.request())),
        TurnsDigest.sha256(EntityJson.writeList(batch.entities())));
  }
}
