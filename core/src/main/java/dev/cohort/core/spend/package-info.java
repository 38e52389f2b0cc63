/**
 * What a batch costs: the {@link dev.cohort.core.spend.PriceTable} that turns a call's tokens into
 * US dollars ({@link dev.cohort.core.spend.ModelPrice}), matched on the model name the provider
 * returns. A model without a price has an unknown cost, never zero.
 */
@NullMarked
package dev.cohort.core.spend;

import org.jspecify.annotations.NullMarked;
