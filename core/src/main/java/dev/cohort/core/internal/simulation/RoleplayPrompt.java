package dev.cohort.core.internal.simulation;

import dev.cohort.core.batch.BatchRequest;
import dev.cohort.core.batch.Entity;
import dev.cohort.core.batch.Turn;
import dev.cohort.core.batch.Visibility;
import dev.cohort.core.port.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the messages of one role-play turn, made for its speaker alone. The layout serves
 * provider prompt caching: what repeats comes first and stays byte-identical, what is the
 * speaker's own comes last.
 *
 * <ol>
 *   <li>system: the instructions and the context, the same for every call of the batch;
 *   <li>user: the public transcript so far (what was said, never anyone's thought), which only
 *       grows, so each call of a simulation repeats the one before it up to its last turn;
 *   <li>user: the speaker's own view: who they are (their description and attributes in full),
 *       the others as {@link Visibility} shows them, their own earlier thoughts, and the task.
 * </ol>
 *
 * The participants are listed in speaking order in every speaker's view, so each speaker reads
 * the group in the same order. Internal ids and timestamps never reach the model.
 */
final class RoleplayPrompt {
  private final PromptBuilder transcripts;

  /** @param transcripts renders the transcript window (the same window as scripted mode) */
  RoleplayPrompt(PromptBuilder transcripts) {
    this.transcripts = transcripts;
  }

  /** The system message shared by every role-play call of the batch. */
  static String systemMessage(BatchRequest request) {
    return "You play one participant of a simulated " + request.interactionStyle() + " in "
        + request.language() + ".\n"
        + "Each time, you write the next turn of the participant you play: what they say or do, and a"
        + " short inner thought that only they know.\n"
        + "Rules:\n"
        + "- Speak only as the participant you play, in character, from their own description and"
        + " attributes; never write for anyone else.\n"
        + "- You know what your participant knows: what was said, and what you are shown of the"
        + " others. The others' inner thoughts are hidden from you, and yours from them.\n"
        + "- Continue the conversation so far; never repeat earlier turns.\n"
        + "- Answer with JSON only, in this form: " + SpeakerTurnFormat.EXAMPLE + "\n"
        + "Context:\n"
        + request.context();
  }

  /**
   * The messages for one turn.
   *
   * @param system the batch's {@link #systemMessage system message}
   * @param participants the simulation's entities in speaking order
   * @param earlier every turn before this one, thoughts included (only the speaker's own are shown)
   * @param speaker who speaks this turn
   * @param turnNumber this turn's number
   * @param round this turn's round
   * @param rounds the number of rounds
   * @param visibility what the speaker sees of the others
   */
  List<ChatMessage> turnMessages(
      String system, List<Entity> participants, List<Turn> earlier, Entity speaker, int turnNumber,
      int round, int rounds, Visibility visibility) {
    List<Turn> spoken = new ArrayList<>(earlier.size());
    for (Turn t : earlier) {
      spoken.add(new Turn(t.round(), t.turnNumber(), t.speakerId(), t.speakerName(), null, t.text()));
    }
    String transcript = "Conversation so far:\n" + transcripts.window(spoken);

    StringBuilder own = new StringBuilder("You are ").append(speaker.name()).append(".\n");
    own.append("Participants:\n");
    for (Entity p : participants) {
      boolean self = p.id().equals(speaker.id());
      own.append("- ").append(p.name());
      if (self || visibility != Visibility.NAMES) {
        own.append(": ").append(PromptBuilder.oneLine(p.description()));
      }
      if ((self || visibility == Visibility.FULL) && !p.attributes().isEmpty()) {
        own.append(PromptBuilder.ATTRIBUTES).append(PromptBuilder.json(p.attributes()));
      }
      own.append('\n');
    }
    List<Turn> thoughts = new ArrayList<>();
    for (Turn t : earlier) {
      String thought = t.thought();
      if (t.speakerId().equals(speaker.id()) && thought != null && !thought.isBlank()) {
        thoughts.add(t);
      }
    }
    if (!thoughts.isEmpty()) {
      own.append("\nYour own earlier inner thoughts (only you know them):\n");
      for (Turn t : thoughts) {
        own.append("- turn ").append(t.turnNumber()).append(": ").append(PromptBuilder.oneLine(t.thought()))
            .append('\n');
      }
    }
    own.append("\nWrite turn ").append(turnNumber).append(" (round ").append(round).append(" of ").append(rounds)
        .append(") as ").append(speaker.name()).append(": your next turn in the conversation so far.\n");
    own.append("Speakers, one per turn, in order: ").append(JsonStringArray.of(List.of(speaker.name()))).append('\n');
    own.append("Answer with JSON only: ").append(SpeakerTurnFormat.EXAMPLE);
    return List.of(ChatMessage.system(system), ChatMessage.user(transcript), ChatMessage.user(own.toString()));
  }

  /** A follow-up that tells the model what was wrong with its answer. */
  static List<ChatMessage> reask(List<ChatMessage> messages, String answer, String problem, String speaker) {
    List<ChatMessage> next = new ArrayList<>(messages);
    next.add(ChatMessage.assistant(answer));
    next.add(ChatMessage.user("That answer cannot be used: " + problem + ". Answer again with one new turn for "
        + speaker + " as JSON in the required form."));
    return next;
  }
}
