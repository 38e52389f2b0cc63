package dev.cohort.core.internal.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.SimulationMode;
import org.junit.jupiter.api.Test;

/** The prompt templates whose digest a manifest records: each mode's own wording, with placeholders. */
class PromptTemplatesTest {
  @Test
  void scriptedTemplatesAreTheDefault() {
    assertThat(SimulationEngine.promptTemplates()).isEqualTo(SimulationEngine.promptTemplates(SimulationMode.SCRIPTED));
  }

  @Test
  void roleplayTemplatesHoldItsSystemMessageEveryVisibilitysViewAndTheReask() {
    String templates = SimulationEngine.promptTemplates(SimulationMode.ROLEPLAY);
    BatchRequest placeholder = BatchRequest.builder().name("{name}").context("{context}")
        .interactionStyle("{interaction_style}").language("{language}")
        .entityIds("{a}", "{b}").interactionSize(2).numSimulations(1).nTurns(1).build();

    assertThat(templates).startsWith(RoleplayPrompt.systemMessage(placeholder))
        .isNotEqualTo(SimulationEngine.promptTemplates(SimulationMode.SCRIPTED))
        .contains("Conversation so far:", "You are {participant_name}.", "{own_thought}",
            "That answer cannot be used: {problem}.")
        // names: the other is only named; descriptions: described; full: their attributes too.
        .contains("- {other_name}\n", "- {other_name}: {other_description}\n",
            "- {other_name}: {other_description}" + PromptBuilder.ATTRIBUTES + "{\"{attribute}\":\"{value}\"}")
        .as("ids never reach the model").doesNotContain("{other_id}", "{id}");
    assertThat(SimulationEngine.promptTemplates(SimulationMode.ROLEPLAY)).as("no value of a batch in it")
        .isEqualTo(templates);
  }
}
