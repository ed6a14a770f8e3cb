package dev.tally.sms;

import static dev.tally.sms.SmsEncoding.GSM7;
import static dev.tally.sms.SmsEncoding.UCS2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmsSegmentsTest {

    private static final String EURO = "\u20AC";
    private static final String ZHE = "\u0436"; // Cyrillic ж: UCS-2, one unit
    private static final String GRIN = "\uD83D\uDE00"; // U+1F600: one character, two UCS-2 units

    /*
     * GSM 03.38 default alphabet typed in by code point, independently of the table in the
     * main code, in septet order 0x00..0x7F with the escape (0x1B) left out: 127 characters.
     */
    private static final int[] GSM_BASIC = {
        0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,
        0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,
        0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,
        0x03A3, 0x0398, 0x039E, /* ESC */ 0x00C6, 0x00E6, 0x00DF, 0x00C9,
        0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027,
        0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
        0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
        0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
        0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
        0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
        0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
        0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
        0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
        0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
        0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
        0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
    };

    /** Form feed ^ { } \ [ ~ ] | €. */
    private static final int[] GSM_EXTENSION = {0x000C, 0x005E, 0x007B, 0x007D, 0x005C, 0x005B, 0x007E, 0x005D, 0x007C, 0x20AC};

    private static String a(int n) {
        return "a".repeat(n);
    }

    private static String of(int... codePoints) {
        return new String(codePoints, 0, codePoints.length);
    }

    // --- GSM-7 ---

    @Test
    void emptyBodyIsOneSegmentOfNothing() {
        assertThat(SmsSegments.count("")).isEqualTo(new SmsCount(GSM7, 0, 1));
    }

    @Test
    void nullBodyIsRejected() {
        assertThatThrownBy(() -> SmsSegments.count(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void gsm160FitsOneSegmentAnd161Splits() {
        assertThat(SmsSegments.count(a(1))).isEqualTo(new SmsCount(GSM7, 1, 1));
        assertThat(SmsSegments.count(a(160))).isEqualTo(new SmsCount(GSM7, 160, 1));
        assertThat(SmsSegments.count(a(161))).isEqualTo(new SmsCount(GSM7, 161, 2));
    }

    @Test
    void gsm306IsTwoSegmentsAnd307IsThree() {
        assertThat(SmsSegments.count(a(306))).isEqualTo(new SmsCount(GSM7, 306, 2));
        assertThat(SmsSegments.count(a(307))).isEqualTo(new SmsCount(GSM7, 307, 3));
        assertThat(SmsSegments.count(a(459))).isEqualTo(new SmsCount(GSM7, 459, 3));
        assertThat(SmsSegments.count(a(460))).isEqualTo(new SmsCount(GSM7, 460, 4));
    }

    @Test
    void extensionCharacterCountsTwoSeptetsButOneCharacter() {
        // 158 + 2 = 160 septets: one segment; 159 + 2 = 161: two.
        assertThat(SmsSegments.count(a(158) + EURO)).isEqualTo(new SmsCount(GSM7, 159, 1));
        assertThat(SmsSegments.count(a(159) + EURO)).isEqualTo(new SmsCount(GSM7, 160, 2));
        // 153 + 2 = 155 septets is still a single message.
        assertThat(SmsSegments.count(a(153) + EURO)).isEqualTo(new SmsCount(GSM7, 154, 1));
    }

    @Test
    void escapePairThatWouldStraddleThePartBoundaryMovesToTheNextPart() {
        // 161 septets. Part 1: 152 'a' (the € needs 2, only 1 left). Part 2: € + 7 'a' = 9.
        assertThat(SmsSegments.count(a(152) + EURO + a(7))).isEqualTo(new SmsCount(GSM7, 160, 2));
        // 305 septets. Part 1: 152 'a' + 1 lost. Part 2: € + 151 'a' = 153, exactly full.
        assertThat(SmsSegments.count(a(152) + EURO + a(151))).isEqualTo(new SmsCount(GSM7, 304, 2));
        // 306 septets would fit two parts if the pair could split; it cannot, so the last 'a'
        // spills: part 1 152 'a', part 2 € + 151 'a', part 3 1 'a'.
        assertThat(SmsSegments.count(a(152) + EURO + a(152))).isEqualTo(new SmsCount(GSM7, 305, 3));
    }

    @Test
    void extensionCharacterRightAfterAFullPart() {
        // 161 septets. Part 1: 153 'a', full. Part 2: € + 6 'a' = 8.
        assertThat(SmsSegments.count(a(153) + EURO + a(6))).isEqualTo(new SmsCount(GSM7, 160, 2));
        // 306 septets. Part 1: 153 'a'. Part 2: 151 'a' + € = 153, exactly full.
        assertThat(SmsSegments.count(a(304) + EURO)).isEqualTo(new SmsCount(GSM7, 305, 2));
        // 307 septets. Part 2 has 152 'a' and 1 free septet, too few for the €: part 3.
        assertThat(SmsSegments.count(a(305) + EURO)).isEqualTo(new SmsCount(GSM7, 306, 3));
    }

    @Test
    void onlyExtensionCharactersCountDouble() {
        assertThat(SmsSegments.count(EURO.repeat(80))).isEqualTo(new SmsCount(GSM7, 80, 1)); // 160 septets
        assertThat(SmsSegments.count(EURO.repeat(81))).isEqualTo(new SmsCount(GSM7, 81, 2)); // 162 septets
        // 76 € fill 152 of a part's 153 septets, the odd one is lost.
        assertThat(SmsSegments.count(EURO.repeat(152))).isEqualTo(new SmsCount(GSM7, 152, 2)); // 304 septets
        assertThat(SmsSegments.count(EURO.repeat(153))).isEqualTo(new SmsCount(GSM7, 153, 3)); // 306 septets
    }

    @Test
    void everyExtensionCharacterCountsTwice() {
        String all = of(GSM_EXTENSION); // 10 characters, 20 septets
        assertThat(SmsSegments.count(all)).isEqualTo(new SmsCount(GSM7, 10, 1));
        assertThat(SmsSegments.count(all + a(140))).isEqualTo(new SmsCount(GSM7, 150, 1)); // 160 septets
        assertThat(SmsSegments.count(all + a(141))).isEqualTo(new SmsCount(GSM7, 151, 2)); // 161 septets
        for (int cp : GSM_EXTENSION) {
            String c = of(cp);
            assertThat(SmsSegments.count(c.repeat(80))).as("80 x U+%04X", cp).isEqualTo(new SmsCount(GSM7, 80, 1));
            assertThat(SmsSegments.count(c.repeat(81))).as("81 x U+%04X", cp).isEqualTo(new SmsCount(GSM7, 81, 2));
        }
    }

    @Test
    void wholeBasicAlphabetIsGsm7AtOneSeptetEach() {
        String all = of(GSM_BASIC);
        assertThat(all).hasSize(127);
        assertThat(SmsSegments.count(all)).isEqualTo(new SmsCount(GSM7, 127, 1));
        assertThat(SmsSegments.count(all + a(33))).isEqualTo(new SmsCount(GSM7, 160, 1));
        assertThat(SmsSegments.count(all + a(34))).isEqualTo(new SmsCount(GSM7, 161, 2));
        for (int cp : GSM_BASIC) {
            assertThat(SmsSegments.count(of(cp).repeat(160))).as("160 x U+%04X", cp)
                    .isEqualTo(new SmsCount(GSM7, 160, 1));
        }
    }

    @Test
    void lineBreaksAreGsm7() {
        assertThat(SmsSegments.count("line1\r\nline2\n")).isEqualTo(new SmsCount(GSM7, 13, 1));
    }

    // --- switching to UCS-2 ---

    @ParameterizedTest
    @ValueSource(strings = {
        "\u00E7",       // ç: only capital Ç is in GSM-7
        "\u00E1", "\u00ED", "\u00F3", "\u00FA", "\u00E3", "\u00CA", "\u00C0",
        "`",            // 0x60 in GSM-7 is ¿, not the backtick
        "\t", "\u0000", "\u001B", "\u00A2",
        "\u2019",       // typographic apostrophe
        "\u2014",       // em dash
        "\u03B1",       // Greek small alpha
        "\u0391",       // Greek capital Alpha: looks like A, is not in the table
        "\u2126",       // Ohm sign, not the Greek Ω the table has
        "\u2206",       // increment, not the Greek Δ the table has
        "\u0436",       // Cyrillic ж
    })
    void characterOutsideGsm7MakesItUcs2(String c) {
        assertThat(SmsSegments.count(c)).isEqualTo(new SmsCount(UCS2, 1, 1));
        // 159 'a' + 1 other = 160 UCS-2 units: ceil(160 / 67) = 3 parts, where GSM-7 would need 1.
        assertThat(SmsSegments.count(a(159) + c)).isEqualTo(new SmsCount(UCS2, 160, 3));
    }

    @Test
    void oneNonGsmCharacterFlipsTheWholeMessage() {
        assertThat(SmsSegments.count("gar\u00E7on")).isEqualTo(new SmsCount(UCS2, 6, 1));
        assertThat(SmsSegments.count("Gar\u00C7on")).isEqualTo(new SmsCount(GSM7, 6, 1));
        assertThat(SmsSegments.count("\u041F\u0440\u0438\u0432\u0435\u0442")).isEqualTo(new SmsCount(UCS2, 6, 1)); // Привет
        // Once UCS-2, the € is one unit like any other BMP character.
        assertThat(SmsSegments.count(EURO.repeat(69) + "\u00E7")).isEqualTo(new SmsCount(UCS2, 70, 1));
        assertThat(SmsSegments.count(EURO.repeat(70) + "\u00E7")).isEqualTo(new SmsCount(UCS2, 71, 2));
    }

    @Test
    void mixedLatinAndGreekCapitalsStayGsm7ButGreekLowercaseIsUcs2() {
        // ΔΦΓΛΩΠΨΣΘΞ + " and Latin" = 10 + 10 characters.
        String greekCapitals = "\u0394\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E";
        assertThat(SmsSegments.count(greekCapitals + " and Latin")).isEqualTo(new SmsCount(GSM7, 20, 1));
        // "Hello αβγ"
        assertThat(SmsSegments.count("Hello \u03B1\u03B2\u03B3")).isEqualTo(new SmsCount(UCS2, 9, 1));
        // "ΑΒΓ" with Greek Alpha and Beta: Γ alone would be GSM-7, Α and Β are not.
        assertThat(SmsSegments.count("\u0391\u0392\u0393")).isEqualTo(new SmsCount(UCS2, 3, 1));
    }

    // --- UCS-2 ---

    @Test
    void ucs2SeventyFitsOneSegmentAnd71Splits() {
        assertThat(SmsSegments.count(ZHE.repeat(70))).isEqualTo(new SmsCount(UCS2, 70, 1));
        assertThat(SmsSegments.count(ZHE.repeat(71))).isEqualTo(new SmsCount(UCS2, 71, 2));
    }

    @Test
    void ucs2134IsTwoSegmentsAnd135IsThree() {
        assertThat(SmsSegments.count(ZHE.repeat(134))).isEqualTo(new SmsCount(UCS2, 134, 2));
        assertThat(SmsSegments.count(ZHE.repeat(135))).isEqualTo(new SmsCount(UCS2, 135, 3));
        assertThat(SmsSegments.count(ZHE.repeat(201))).isEqualTo(new SmsCount(UCS2, 201, 3));
        assertThat(SmsSegments.count(ZHE.repeat(202))).isEqualTo(new SmsCount(UCS2, 202, 4));
    }

    @Test
    void emojiIsOneCharacterOfTwoUnits() {
        assertThat(SmsSegments.count(GRIN)).isEqualTo(new SmsCount(UCS2, 1, 1));
        assertThat(SmsSegments.count("a" + GRIN + "b")).isEqualTo(new SmsCount(UCS2, 3, 1));
        // 66 + 2 = 68 units, under the single-message limit of 70: no split at all.
        assertThat(SmsSegments.count(ZHE.repeat(66) + GRIN)).isEqualTo(new SmsCount(UCS2, 67, 1));
        // 68 + 2 = 70 units: still one.
        assertThat(SmsSegments.count(ZHE.repeat(68) + GRIN)).isEqualTo(new SmsCount(UCS2, 69, 1));
        // 69 + 2 = 71 units: part 1 67 ж, part 2 2 ж + emoji.
        assertThat(SmsSegments.count(ZHE.repeat(69) + GRIN)).isEqualTo(new SmsCount(UCS2, 70, 2));
        // Code points, not graphemes: thumbs up + skin tone modifier is two characters, four units.
        assertThat(SmsSegments.count("\uD83D\uDC4D\uD83C\uDFFD")).isEqualTo(new SmsCount(UCS2, 2, 1));
    }

    @Test
    void surrogatePairIsNeverSplitAcrossParts() {
        // 71 units. Part 1: 66 ж and 1 unit left, too few for the emoji. Part 2: emoji + 3 ж = 5.
        assertThat(SmsSegments.count(ZHE.repeat(66) + GRIN + ZHE.repeat(3))).isEqualTo(new SmsCount(UCS2, 70, 2));
        // 133 units. Part 1: 65 ж + emoji = 67, full. Part 2: 66 ж.
        assertThat(SmsSegments.count(ZHE.repeat(65) + GRIN + ZHE.repeat(66))).isEqualTo(new SmsCount(UCS2, 132, 2));
        // 134 units would fit two parts if the pair could split. Part 1: 66 ж + 1 lost.
        // Part 2: emoji + 65 ж = 67. Part 3: the last ж.
        assertThat(SmsSegments.count(ZHE.repeat(66) + GRIN + ZHE.repeat(66))).isEqualTo(new SmsCount(UCS2, 133, 3));
    }

    @Test
    void onlyEmoji() {
        assertThat(SmsSegments.count(GRIN.repeat(35))).isEqualTo(new SmsCount(UCS2, 35, 1)); // 70 units
        assertThat(SmsSegments.count(GRIN.repeat(36))).isEqualTo(new SmsCount(UCS2, 36, 2)); // 72 units
        // 33 emoji fill 66 of a part's 67 units.
        assertThat(SmsSegments.count(GRIN.repeat(66))).isEqualTo(new SmsCount(UCS2, 66, 2)); // 132 units
        assertThat(SmsSegments.count(GRIN.repeat(67))).isEqualTo(new SmsCount(UCS2, 67, 3)); // 134 units
    }

    @Test
    void loneSurrogateIsOneUcs2Unit() {
        assertThat(SmsSegments.count("\uD83D")).isEqualTo(new SmsCount(UCS2, 1, 1));
        assertThat(SmsSegments.count(a(70) + "\uDE00")).isEqualTo(new SmsCount(UCS2, 71, 2));
    }

    // --- fromCharacters ---

    @Test
    void fromCharactersGsm7UsesTheSimpleFormula() {
        assertThat(SmsSegments.fromCharacters(0, GSM7)).isEqualTo(new SmsCount(GSM7, 0, 1));
        assertThat(SmsSegments.fromCharacters(1, GSM7)).isEqualTo(new SmsCount(GSM7, 1, 1));
        assertThat(SmsSegments.fromCharacters(160, GSM7)).isEqualTo(new SmsCount(GSM7, 160, 1));
        assertThat(SmsSegments.fromCharacters(161, GSM7)).isEqualTo(new SmsCount(GSM7, 161, 2));
        assertThat(SmsSegments.fromCharacters(306, GSM7)).isEqualTo(new SmsCount(GSM7, 306, 2));
        assertThat(SmsSegments.fromCharacters(307, GSM7)).isEqualTo(new SmsCount(GSM7, 307, 3));
        assertThat(SmsSegments.fromCharacters(459, GSM7)).isEqualTo(new SmsCount(GSM7, 459, 3));
        assertThat(SmsSegments.fromCharacters(460, GSM7)).isEqualTo(new SmsCount(GSM7, 460, 4));
    }

    @Test
    void fromCharactersUcs2UsesTheSimpleFormula() {
        assertThat(SmsSegments.fromCharacters(0, UCS2)).isEqualTo(new SmsCount(UCS2, 0, 1));
        assertThat(SmsSegments.fromCharacters(1, UCS2)).isEqualTo(new SmsCount(UCS2, 1, 1));
        assertThat(SmsSegments.fromCharacters(70, UCS2)).isEqualTo(new SmsCount(UCS2, 70, 1));
        assertThat(SmsSegments.fromCharacters(71, UCS2)).isEqualTo(new SmsCount(UCS2, 71, 2));
        assertThat(SmsSegments.fromCharacters(134, UCS2)).isEqualTo(new SmsCount(UCS2, 134, 2));
        assertThat(SmsSegments.fromCharacters(135, UCS2)).isEqualTo(new SmsCount(UCS2, 135, 3));
    }

    @Test
    void fromCharactersCannotKnowWherePairsFall() {
        // The same 306 septets as 153 €, which count() puts in 3 parts.
        assertThat(SmsSegments.fromCharacters(306, GSM7).segments()).isEqualTo(2);
        assertThat(SmsSegments.count(EURO.repeat(153)).segments()).isEqualTo(3);
    }

    @Test
    void fromCharactersRejectsNonsense() {
        assertThatThrownBy(() -> SmsSegments.fromCharacters(-1, GSM7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmsSegments.fromCharacters(Long.MAX_VALUE, UCS2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmsSegments.fromCharacters(10, null)).isInstanceOf(NullPointerException.class);
    }
}
