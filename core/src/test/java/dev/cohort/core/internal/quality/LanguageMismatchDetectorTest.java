package dev.cohort.core.internal.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageMismatchDetectorTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "English | Die Stadt muss jetzt handeln, denn wir haben keine Zeit mehr und die Bauern sind nicht bereit zu warten.",
      "English | Creo que el ayuntamiento debe invertir en el dique antes de que las inundaciones sean peores.",
      "English | Городской совет должен построить дамбу, пока наводнения не стали ещё хуже.",
      "English | 我认为市议会应该先修建海堤，因为洪水每年都在变得更严重。",
      "Spanish | I think the council should build the seawall first, because the floods get worse every year.",
      "German | Je pense que le conseil municipal doit construire la digue avant que les inondations ne soient pires.",
      "French | Ich glaube, dass der Stadtrat den Deich bauen muss, bevor die Überschwemmungen schlimmer werden.",
      "Russian | I think the council should build the seawall first, because the floods get worse every year.",
      "Japanese | 저는 시의회가 먼저 방파제를 건설해야 한다고 생각합니다. 홍수가 매년 심해지고 있으니까요.",
      "pt-BR | I think the council should build the seawall first, because the floods get worse every year.",
  })
  void flagsATurnInAnotherLanguage(String language, String text) {
    assertThat(LanguageMismatchDetector.flags(language, Turns.of(text))).isTrue();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "English | I think the council should build the seawall first, because the floods get worse every year.",
      "English | As they say in Paris, c'est la vie — but here the floods are not a shrug, they are our future.",
      "English | The word for it in German is Deichbau, and the Dutch have done it for centuries with great success.",
      "Spanish | Creo que el ayuntamiento debe invertir en el dique antes de que las inundaciones sean peores.",
      "Español | No estoy de acuerdo: los agricultores no pueden pagar otro impuesto este año.",
      "French | Je pense que le conseil municipal doit construire la digue avant que les inondations ne soient pires.",
      "German | Ich glaube, dass der Stadtrat den Deich bauen muss, bevor die Überschwemmungen schlimmer werden.",
      "Italian | Penso che il consiglio comunale debba costruire la diga prima che le alluvioni siano peggiori.",
      "Portuguese | Eu acho que a câmara deve construir o dique antes que as cheias fiquem piores para todos nós.",
      "Dutch | Ik denk dat de gemeenteraad eerst de dijk moet bouwen, omdat de overstromingen elk jaar erger worden.",
      "Russian | Городской совет должен построить дамбу, пока наводнения не стали ещё хуже.",
      "Japanese | 市議会はまず防波堤を建設すべきだと思います。洪水は毎年ひどくなっています。",
      "Chinese | 我认为市议会应该先修建海堤，因为洪水每年都在变得更严重。",
      "English (UK) | I reckon the council ought to build the seawall first; the floods are getting worse each year.",
      "Klingon | Creo que el ayuntamiento debe invertir en el dique antes de que las inundaciones sean peores.",
      "English | ¡Vale, vale!",
  })
  void leavesTurnsInTheBatchLanguageAndCasesItCannotJudge(String language, String text) {
    assertThat(LanguageMismatchDetector.flags(language, Turns.of(text))).isFalse();
  }

  @Test
  void knowsLanguagesByEnglishNameOwnNameAndCode() {
    assertThat(LanguageProfile.forLanguage("deutsch")).map(LanguageProfile::name).hasValue("German");
    assertThat(LanguageProfile.forLanguage(" DE ")).map(LanguageProfile::name).hasValue("German");
    assertThat(LanguageProfile.forLanguage("Português (Brasil)")).map(LanguageProfile::name).hasValue("Portuguese");
    assertThat(LanguageProfile.forLanguage("日本語")).map(LanguageProfile::name).hasValue("Japanese");
    assertThat(LanguageProfile.forLanguage("Esperanto")).isEmpty();
  }
}
