package dev.cohort.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EntityRoutesTest {
  static TestServer server;
  static ApiClient api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void postOfOneEntityStoresItAndAnswersIt() {
    ApiClient.Response created = api.post("/api/entities", """
        {"id": "ada", "name": "Ada Lovelace", "description": "Mathematician",
         "attributes": {"born": 1815, "languages": ["English", "French"], "poet": false, "ratio": 0.5}}
        """);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/entities/ada");
    JsonNode entity = created.data();
    assertThat(entity.get("id").asText()).isEqualTo("ada");
    assertThat(entity.get("attributes").get("born").asInt()).isEqualTo(1815);
    assertThat(entity.get("attributes").get("ratio").asDouble()).isEqualTo(0.5);

    JsonNode read = api.get("/api/entities/ada").data();
    assertThat(read).isEqualTo(entity);
  }

  @Test
  void postOfAnArrayStoresEveryEntity() {
    ApiClient.Response created = api.post("/api/entities", """
        [{"id": "e-1", "name": "One"}, {"id": "e-2", "name": "Two", "description": null}]
        """);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.data()).hasSize(2);
    JsonNode list = api.get("/api/entities").data();
    assertThat(list.findValuesAsText("id")).contains("e-1", "e-2");
  }

  @Test
  void postReplacesAnEntityWithTheSameId() {
    api.post("/api/entities", "{\"id\": \"same\", \"name\": \"Before\"}");

    api.post("/api/entities", "{\"id\": \"same\", \"name\": \"After\"}");

    assertThat(api.get("/api/entities/same").data().get("name").asText()).isEqualTo("After");
  }

  @Test
  void idsThatNeedEncodingRoundTripThroughThePath() {
    api.post("/api/entities", "{\"id\": \"Zoë / ünïcode ☃\", \"name\": \"Snow\"}");

    ApiClient.Response read = api.get("/api/entities/" + UriComponents.encodeSegment("Zoë / ünïcode ☃"));

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.data().get("name").asText()).isEqualTo("Snow");
  }

  @Test
  void deleteRemovesTheEntity() {
    api.post("/api/entities", "{\"id\": \"gone\", \"name\": \"Gone\"}");

    ApiClient.Response deleted = api.delete("/api/entities/gone");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.data().get("message").asText()).isEqualTo("Entity gone deleted successfully");
    assertThat(api.get("/api/entities/gone").status()).isEqualTo(404);
    assertThat(api.delete("/api/entities/gone").status()).isEqualTo(404);
  }

  @Test
  void unknownEntityIsNotFound() {
    ApiClient.Response response = api.get("/api/entities/nobody");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.message()).isEqualTo("entity nobody does not exist");
  }

  @Test
  void badEntitiesAreRefusedNamingTheElementAndField() {
    ApiClient.Response response = api.post("/api/entities", """
        [{"id": "ok", "name": "Fine"}, {"id": "", "name": 7}, {"id": "x", "name": "X", "age": 3}]
        """);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).contains("entities[1].name: must be a string, was a number")
        .contains("entities[2].age: is not a known field");
    assertThat(api.get("/api/entities/ok").status()).isEqualTo(404);
  }

  @Test
  void duplicateIdsInOneRequestAreRefused() {
    ApiClient.Response response = api.post("/api/entities", """
        [{"id": "twin", "name": "A"}, {"id": "twin", "name": "B"}]
        """);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("entities: id twin appears more than once");
  }

  @Test
  void blankIdIsRefused() {
    ApiClient.Response response = api.post("/api/entities", "{\"id\": \"  \", \"name\": \"Blank\"}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("id: must not be blank");
    assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("id");
  }
}
