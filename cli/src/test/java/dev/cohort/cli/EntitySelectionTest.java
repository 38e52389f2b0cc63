package dev.cohort.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.core.batch.Entity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntitySelectionTest {
  @TempDir
  Path dir;

  @Test
  void aCommaSeparatedListIsTrimmedAndKeepsItsOrder() {
    EntitySelection selection = EntitySelection.parse(" b , a,c ", dir);

    assertThat(selection.ids()).containsExactly("b", "a", "c");
    assertThat(selection.toImport()).isEmpty();
  }

  @Test
  void aSingleIdIsAListOfOne() {
    assertThat(EntitySelection.parse("entity-id-1", dir).ids()).containsExactly("entity-id-1");
  }

  @Test
  void anArrayOfIdsNamesThePool() {
    Samples.write(dir, "ids.json", "[\"e1\", \"e2\", \"e3\"]");

    EntitySelection selection = EntitySelection.parse("ids.json", dir);

    assertThat(selection.ids()).containsExactly("e1", "e2", "e3");
    assertThat(selection.toImport()).isEmpty();
  }

  @Test
  void anEntityIdsObjectNamesThePool() {
    Samples.write(dir, "ids.json", "{\"entity_ids\": [\"e2\", \"e1\"]}");

    assertThat(EntitySelection.parse("@ids.json", dir).ids()).containsExactly("e2", "e1");
  }

  @Test
  void anArrayOfEntityObjectsIsImportedAndBecomesThePool() {
    Samples.write(dir, "people.json", "[{\"id\": \"e1\", \"name\": \"Ada\", \"description\": \"Engineer\","
        + " \"attributes\": {\"age\": 36, \"skills\": [\"math\"], \"retired\": false}}, {\"id\": \"e2\", \"name\": \"Ben\"}]");

    EntitySelection selection = EntitySelection.parse("people.json", dir);

    assertThat(selection.ids()).containsExactly("e1", "e2");
    assertThat(selection.toImport()).containsExactly(
        new Entity("e1", "Ada", "Engineer", Map.of("age", 36, "skills", List.of("math"), "retired", false)),
        Entity.of("e2", "Ben", null));
  }

  @Test
  void anEntitiesObjectIsImportedAndItsEntityIdsPickThePool() {
    Samples.write(dir, "people.json", "{\"entities\": [{\"id\": \"e1\", \"name\": \"Ada\"}, {\"id\": \"e2\", "
        + "\"name\": \"Ben\"}, {\"id\": \"e3\", \"name\": \"Cy\"}], \"entity_ids\": [\"e3\", \"e1\"]}");

    EntitySelection selection = EntitySelection.parse(dir.resolve("people.json").toString(), dir);

    assertThat(selection.toImport()).extracting(Entity::id).containsExactly("e1", "e2", "e3");
    assertThat(selection.ids()).containsExactly("e3", "e1");
  }

  @Test
  void anArrayMayMixIdsOfStoredEntitiesWithNewOnes() {
    Samples.write(dir, "mixed.json", "[\"stored\", {\"id\": \"new\", \"name\": \"Newcomer\"}]");

    EntitySelection selection = EntitySelection.parse("mixed.json", dir);

    assertThat(selection.ids()).containsExactly("stored", "new");
    assertThat(selection.toImport()).extracting(Entity::id).containsExactly("new");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "missing.json | --entities: file 'missing.json' does not exist",
      "@missing | --entities: file 'missing' does not exist",
      "data/people.json | --entities: file 'data/people.json' does not exist",
      "a,,b | --entities: element 2 of the comma-separated list is empty",
      "a,b,a | --entities: entity id 'a' is given twice",
      "' ' | --entities: is empty"})
  void badValuesAreRejectedWithTheReason(String value, String message) {
    assertThatThrownBy(() -> EntitySelection.parse(value, dir))
        .isInstanceOf(UsageException.class).hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{ | is not valid JSON (line 1",
      "42 | must hold an array of entity ids or entity objects",
      "[] | holds no entities or entity ids",
      "[1] | [0] must be an entity id (a string) or an entity object, but is a number",
      "[{\"id\": \"a\"}] | [0].name: is required",
      "[{\"id\": \"a\", \"name\": \" \"}] | [0].name: must not be blank",
      "[{\"id\": \"a\", \"name\": \"A\", \"age\": 3}] | [0].age: is not a known field; known fields are id, name, description, attributes",
      "[{\"id\": \"a\", \"name\": \"A\", \"attributes\": [1]}] | [0].attributes: must be a JSON object, was an array",
      "[\"a\", {\"id\": \"a\", \"name\": \"A\"}] | [1].id: entity id 'a' appears twice",
      "{\"entity_ids\": \"a\"} | entity_ids must be an array of strings, but is a string",
      "{\"entities\": [], \"people\": 1} | unknown field 'people'",
      "[\"a\"] [\"b\"] | has more content after the JSON document"})
  void badFilesAreRejectedNamingThePlaceInTheFile(String json, String message) {
    Samples.write(dir, "bad.json", json);

    assertThatThrownBy(() -> EntitySelection.parse("bad.json", dir))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--entities: file 'bad.json'")
        .hasMessageContaining(message);
  }

  @Test
  void everyProblemOfAFileIsReportedAtOnce() {
    Samples.write(dir, "bad.json", "[{\"id\": \"a\"}, {\"name\": \"B\"}, 3]");

    assertThatThrownBy(() -> EntitySelection.parse("bad.json", dir))
        .hasMessageContaining("[0].name: is required")
        .hasMessageContaining("[1].id: is required")
        .hasMessageContaining("[2] must be an entity id");
  }
}
