"""Sentence-boundary cases for news text: each a short text and the sentences expected from it.

Shared by ``tests/test_segment.py`` (every case must pass) and ``bench/segmentation.py`` (which scores
other segmenters, such as NLTK's Punkt, on the same cases). Texts are written for this file.
Expected sentences are verbatim slices of the text, stripped of surrounding whitespace, so a
sentence that spans a hard line break keeps its ``\\n``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expected: tuple[str, ...]


def case(id: str, text: str, *expected: str) -> Case:
    return Case(id, text, expected)


# A newswire paragraph hard-wrapped at 68 columns by a greedy wrapper: two line breaks fall right
# before a capitalised name (``President\nClinton``, ``Gov.\nPete``), one after a sentence's period.
WRAPPED_NEWSWIRE = (
    "WASHINGTON _ The White House said on Tuesday it would ask Congress\n"
    "for new emergency money, and aides to the embattled President\n"
    "Clinton said the request would reach Capitol Hill within a week.\n"
    "Republicans dismissed the plan, and a senior aide to California Gov.\n"
    "Pete Wilson called it a gimmick."
)

CASES: tuple[Case, ...] = (
    # --- abbreviations: titles before names never end a sentence ---------------------------------
    case("title-gen", "Gen. Augusto Ramos left the capital. He flew home on Friday.",
         "Gen. Augusto Ramos left the capital.", "He flew home on Friday."),
    case("title-sen", "Sen. Jane Doe voted against the bill. It failed by two votes.",
         "Sen. Jane Doe voted against the bill.", "It failed by two votes."),
    case("title-dr-mr", "Dr. Ruth Klein met Mr. and Mrs. Ortega. They talked for an hour.",
         "Dr. Ruth Klein met Mr. and Mrs. Ortega.", "They talked for an hour."),
    case("title-rev-mid", "The sermon was given by the Rev. Tom Hale in Ohio. Hundreds came.",
         "The sermon was given by the Rev. Tom Hale in Ohio.", "Hundreds came."),
    case("vs-mid", "The final was Smith vs. Jones at the arena. Smith won easily.",
         "The final was Smith vs. Jones at the arena.", "Smith won easily."),
    # --- abbreviations: acronyms with periods, mid-sentence and at the end ---------------------------
    case("us-mid", "The U.S. Senate passed the measure. It now goes to the House.",
         "The U.S. Senate passed the measure.", "It now goes to the House."),
    case("us-end", "The talks were held in the U.S. The next round is in Geneva.",
         "The talks were held in the U.S.", "The next round is in Geneva."),
    case("us-end-pronoun", "The exiles settled in the U.S. They never returned.",
         "The exiles settled in the U.S.", "They never returned."),
    case("uk-mid", "The U.K. government denied the report on Monday. Critics were unconvinced.",
         "The U.K. government denied the report on Monday.", "Critics were unconvinced."),
    case("uk-end", "She moved to the U.K. Her family stayed behind.",
         "She moved to the U.K.", "Her family stayed behind."),
    case("un-security-council", "The U.N. Security Council met in private. No vote was taken.",
         "The U.N. Security Council met in private.", "No vote was taken."),
    case("dc-mid", "A Washington, D.C. lawyer filed the suit. The court will hear it in May.",
         "A Washington, D.C. lawyer filed the suit.", "The court will hear it in May."),
    case("phd-mid", "She earned a Ph.D. in physics. Then she taught for a decade.",
         "She earned a Ph.D. in physics.", "Then she taught for a decade."),
    case("us-before-quote", 'He lives in the U.S. "It is home now," he said.',
         "He lives in the U.S.", '"It is home now," he said.'),
    # --- abbreviations: numbers, lists of examples, companies, dates and times -----------------------
    case("no-number", "He was ranked No. 5 in the world. Then he retired.",
         "He was ranked No. 5 in the world.", "Then he retired."),
    case("no-sentence-start", "No. 1 seed Spain lost in the first round.",
         "No. 1 seed Spain lost in the first round."),
    case("no-as-word", "Asked whether he would run, he said no. Everyone laughed.",
         "Asked whether he would run, he said no.", "Everyone laughed."),
    case("eg-ie-mid", "Some fruit, e.g. apples, keeps well, i.e. for months. Berries do not.",
         "Some fruit, e.g. apples, keeps well, i.e. for months.", "Berries do not."),
    case("ie-before-name", "The deadline, i.e. Friday, is firm. Nobody objected.",
         "The deadline, i.e. Friday, is firm.", "Nobody objected."),
    case("etc-end", "They sold books, maps, etc. The shop closed at noon.",
         "They sold books, maps, etc.", "The shop closed at noon."),
    case("etc-mid", "Books, maps, etc. are on sale this week.",
         "Books, maps, etc. are on sale this week."),
    case("inc-end", "The shares belong to Acme Inc. Officials declined to comment.",
         "The shares belong to Acme Inc.", "Officials declined to comment."),
    case("inc-mid", "Acme Inc. said profits rose. Widget Co. said they fell.",
         "Acme Inc. said profits rose.", "Widget Co. said they fell."),
    case("corp-weekday", "Widget Corp. Tuesday reported a loss. Analysts were surprised.",
         "Widget Corp. Tuesday reported a loss.", "Analysts were surprised."),
    case("inc-ticker", "Shares of Acme Inc. ACME rose 2% in early trading. Investors cheered.",
         "Shares of Acme Inc. ACME rose 2% in early trading.", "Investors cheered."),
    case("inc-paren-ticker", "Acme Inc. (NASDAQ: ACME) will buy the unit. The price was not disclosed.",
         "Acme Inc. (NASDAQ: ACME) will buy the unit.", "The price was not disclosed."),
    case("month-date", "The vote is set for Jan. 5 in Ottawa. Results follow a day later.",
         "The vote is set for Jan. 5 in Ottawa.", "Results follow a day later."),
    case("month-end", "The law took effect in Sept. The first fines came weeks later.",
         "The law took effect in Sept.", "The first fines came weeks later."),
    case("am-weekday", "The meeting starts at 9 a.m. Wednesday in Room 4. It ends by noon.",
         "The meeting starts at 9 a.m. Wednesday in Room 4.", "It ends by noon."),
    case("pm-end", "Polls close at 8 p.m. Results are expected by midnight.",
         "Polls close at 8 p.m.", "Results are expected by midnight."),
    case("am-time-zone", "Trading opened at 9:30 a.m. EST on Monday. Volume was light.",
         "Trading opened at 9:30 a.m. EST on Monday.", "Volume was light."),
    case("pm-lowercase", "She arrived at 5 p.m. and left an hour later.",
         "She arrived at 5 p.m. and left an hour later."),
    case("st-louis-and-street", "He moved to St. Louis last year. He lives on Elm St. The house is old.",
         "He moved to St. Louis last year.", "He lives on Elm St.", "The house is old."),
    case("jr-mid", "Martin Luther King Jr. Day is a federal holiday. Schools close.",
         "Martin Luther King Jr. Day is a federal holiday.", "Schools close."),
    case("approx-lowercase", "The rate is approx. three percent. It was higher last year.",
         "The rate is approx. three percent.", "It was higher last year."),
    # --- initials ------------------------------------------------------------------------------------
    case("initials-tolkien", "J. R. R. Tolkien wrote the book. It sold well.",
         "J. R. R. Tolkien wrote the book.", "It sold well."),
    case("initial-middle", "George W. Bush spoke first. Then his rival replied.",
         "George W. Bush spoke first.", "Then his rival replied."),
    case("initial-that-is-a-page-abbreviation", "Spokesman James P. Rubin spoke first. Talks went on.",
         "Spokesman James P. Rubin spoke first.", "Talks went on."),
    case("initials-before-article", "The memo was signed by J. A. Smith. A copy was leaked.",
         "The memo was signed by J. A. Smith.", "A copy was leaked."),
    case("letter-at-end", "They switched to plan B. The results improved at once.",
         "They switched to plan B.", "The results improved at once."),
    case("world-war-i", "He fought in World War I. He never spoke of it.",
         "He fought in World War I.", "He never spoke of it."),
    # --- numbers -------------------------------------------------------------------------------------
    case("decimal-percent", "Inflation rose 3.5% in May. Prices fell 0.2% in June.",
         "Inflation rose 3.5% in May.", "Prices fell 0.2% in June."),
    case("money-billion", "The deal is worth $1.2 billion. It closes in March.",
         "The deal is worth $1.2 billion.", "It closes in March."),
    case("version-numbers", "Version v2.0 fixed the bug. Version 2.1 added features.",
         "Version v2.0 fixed the bug.", "Version 2.1 added features."),
    case("decimal-at-end", "The index closed at 3.5. Analysts expect more gains.",
         "The index closed at 3.5.", "Analysts expect more gains."),
    case("digit-starts-sentence", "The plant opened in 1998. 2005 was its best year.",
         "The plant opened in 1998.", "2005 was its best year."),
    case("figure-reference", "Sales rose sharply (see Fig. 3). Costs fell.",
         "Sales rose sharply (see Fig. 3).", "Costs fell."),
    # --- ellipses, ?!, multiple punctuation ----------------------------------------------------------
    case("ellipsis-lowercase", "He paused... and then went on.", "He paused... and then went on."),
    case("ellipsis-uppercase", "I don't know... The answer may never come.",
         "I don't know...", "The answer may never come."),
    case("ellipsis-unicode", "Wait for it… The results are in.", "Wait for it…", "The results are in."),
    case("ellipsis-spaced", "She said she would . . . and then stopped. Nobody asked why.",
         "She said she would . . . and then stopped.", "Nobody asked why."),
    case("question-exclamation", "Are you serious?! I can't believe it!!! Yes.",
         "Are you serious?!", "I can't believe it!!!", "Yes."),
    case("question-mid-quote", '"Is it over?" asked the reporter. Nobody answered.',
         '"Is it over?" asked the reporter.', "Nobody answered."),
    # --- quotations: the closing quote belongs to the sentence ---------------------------------------
    case("ascii-quote", 'He said "No." Then he left.', 'He said "No."', "Then he left."),
    case("curly-double-quote", "She said “Yes.” Then she signed the deal.",
         "She said “Yes.”", "Then she signed the deal."),
    case("curly-single-quote", "He wrote ‘Done.’ Nobody replied.", "He wrote ‘Done.’", "Nobody replied."),
    case("duc-quotes", "``We will appeal,'' the lawyer said. ``The ruling is wrong.''\n``It is unjust.''",
         "``We will appeal,'' the lawyer said.", "``The ruling is wrong.''", "``It is unjust.''"),
    case("question-attribution", '"Why?" she asked. "Because it rained."',
         '"Why?" she asked.', '"Because it rained."'),
    case("exclamation-attribution", '"Stop!" he shouted at the crowd.', '"Stop!" he shouted at the crowd.'),
    case("nested-quotes", "He said: \"She told me 'Go home.'\" Then he left.",
         "He said: \"She told me 'Go home.'\"", "Then he left."),
    # --- parentheses ---------------------------------------------------------------------------------
    case("paren-sentence", "The vote was close. (Turnout was low.) Officials blamed the rain.",
         "The vote was close.", "(Turnout was low.)", "Officials blamed the rain."),
    case("paren-abbreviation", "He joined the firm (then Acme Corp.) in 1990. He left in 2001.",
         "He joined the firm (then Acme Corp.) in 1990.", "He left in 2001."),
    case("paren-question", "(Is this legal?) Lawyers disagree.", "(Is this legal?)", "Lawyers disagree."),
    # --- URLs and e-mail -----------------------------------------------------------------------------
    case("url-www", "Details are at www.example.com. The site went live today.",
         "Details are at www.example.com.", "The site went live today."),
    case("url-path", "Read https://example.org/news/a.html?id=3. It explains the plan.",
         "Read https://example.org/news/a.html?id=3.", "It explains the plan."),
    case("email", "Write to jane.doe@example.com. Replies take a week.",
         "Write to jane.doe@example.com.", "Replies take a week."),
    case("domain-name-mid", "Amazon.com said sales rose. Shares gained.",
         "Amazon.com said sales rose.", "Shares gained."),
    # --- lower-case sentence starts ------------------------------------------------------------------
    case("camel-case-start", "Apple unveiled a new phone. iPhone sales then doubled.",
         "Apple unveiled a new phone.", "iPhone sales then doubled."),
    case("ebay-start", "The auction closed on Sunday. eBay took its usual fee.",
         "The auction closed on Sunday.", "eBay took its usual fee."),
    case("name-particle-start", "The talks resumed on Monday. de Klerk spoke first.",
         "The talks resumed on Monday.", "de Klerk spoke first."),
    # --- datelines, tokenised text, whitespace -------------------------------------------------------
    case("dateline", "LONDON (AP) _ The talks ended. Both sides left.",
         "LONDON (AP) _ The talks ended.", "Both sides left."),
    case("tokenised-periods", "The talks ended . Both sides left .", "The talks ended .", "Both sides left ."),
    case("tabs-and-spaces", "One.\t Two.   Three.", "One.", "Two.", "Three."),
    case("crlf-paragraphs", "First line.\r\nSecond line.\r\n\r\nThird one.",
         "First line.", "Second line.", "Third one."),
    case("no-final-punctuation", "the meeting was postponed", "the meeting was postponed"),
    case("whitespace-only", " \n\t \n"),
    # --- list bullets --------------------------------------------------------------------------------
    case("dash-bullets", "Key points:\n- Prices rose\n- Wages fell",
         "Key points:", "- Prices rose", "- Wages fell"),
    case("numbered-list", "Steps:\n1. Open the lid.\n2. Pour the water.",
         "Steps:", "1. Open the lid.", "2. Pour the water."),
    case("numbered-list-paragraphs", "1. Open the lid\n\n2. Pour the water",
         "1. Open the lid", "2. Pour the water"),
    case("bullet-points", "• First point\n• Second point", "• First point", "• Second point"),
    case("lettered-list", "Options:\na) raise taxes\nb) cut spending",
         "Options:", "a) raise taxes", "b) cut spending"),
    # --- line breaks: blank lines, headlines, one sentence per line, hard wrapping -------------------
    case("blank-line-after-headline", "Breaking News\n\nThe storm hit at dawn.",
         "Breaking News", "The storm hit at dawn."),
    case("blank-line-after-abbreviation", "He moved to the U.S.\n\nOfficials welcomed him.",
         "He moved to the U.S.", "Officials welcomed him."),
    case("headline-single-newline", "Storm Hits Coast\nThe storm hit at dawn on Monday.",
         "Storm Hits Coast", "The storm hit at dawn on Monday."),
    case("headline-and-byline", "Storm Batters Coast\nBy Jane Doe\nThe storm hit at dawn.",
         "Storm Batters Coast", "By Jane Doe", "The storm hit at dawn."),
    case("long-title-case-headline",
         "Leaders Praise The Enduring Stability Of Their Trade Partnership At Summit\n"
         "The two leaders met in Astana on Wednesday.",
         "Leaders Praise The Enduring Stability Of Their Trade Partnership At Summit",
         "The two leaders met in Astana on Wednesday."),
    case("all-caps-heading",
         "OFFICIALS SAY THE BRIDGE WILL REOPEN BEFORE THE HOLIDAY WEEKEND\n"
         "Crews worked through the night to repair the damaged span.",
         "OFFICIALS SAY THE BRIDGE WILL REOPEN BEFORE THE HOLIDAY WEEKEND",
         "Crews worked through the night to repair the damaged span."),
    case("sentence-per-line-no-punctuation", "Prices rose in May\nWages fell in June\nRents were flat",
         "Prices rose in May", "Wages fell in June", "Rents were flat"),
    case("sentence-per-line", "Prices rose.\nWages fell.\nRents were flat.",
         "Prices rose.", "Wages fell.", "Rents were flat."),
    case("paragraph-per-line-caption",
         "Officials confirm that damage estimates from the storm are rising again\n"
         "The agency said on Monday that insured losses could exceed earlier forecasts, "
         "citing new reports from coastal counties that were cut off for days.",
         "Officials confirm that damage estimates from the storm are rising again",
         "The agency said on Monday that insured losses could exceed earlier forecasts, "
         "citing new reports from coastal counties that were cut off for days."),
    case("abbreviation-at-end-of-short-line", "The firm is based in the U.S.\nOfficials there declined to comment.",
         "The firm is based in the U.S.", "Officials there declined to comment."),
    case("short-line-lowercase-continuation", "The minister said the plan\nwould be published soon.",
         "The minister said the plan\nwould be published soon."),
    case("hard-wrapped-newswire", WRAPPED_NEWSWIRE,
         "WASHINGTON _ The White House said on Tuesday it would ask Congress\n"
         "for new emergency money, and aides to the embattled President\n"
         "Clinton said the request would reach Capitol Hill within a week.",
         "Republicans dismissed the plan, and a senior aide to California Gov.\n"
         "Pete Wilson called it a gimmick."),
    case("hard-wrapped-number-at-line-start",
         "Away from the office, the old coach always spent his quiet\n"
         "weekends with his four sons, Adam, 15, Ben, 13, Carl, 10, and Dan,\n"
         "7. He took them fishing on the lake every summer.",
         "Away from the office, the old coach always spent his quiet\n"
         "weekends with his four sons, Adam, 15, Ben, 13, Carl, 10, and Dan,\n"
         "7.",
         "He took them fishing on the lake every summer."),
    case("hard-wrapped-before-name-only",
         "The long-awaited report on the collapse was finally delivered to\n"
         "Parliament on Thursday, eight months after the deadline it had set\n"
         "itself, and was welcomed by the families of the victims.",
         "The long-awaited report on the collapse was finally delivered to\n"
         "Parliament on Thursday, eight months after the deadline it had set\n"
         "itself, and was welcomed by the families of the victims."),
)
