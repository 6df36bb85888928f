"""The phrases that say what kind of claim a sentence makes about a council or organisation.

Patterns over lower-case text, tried on the part of a sentence that belongs to one actor
(`matcher.extract`). Each names an evidence kind and how sure the reader is of it. They are
the ordinary ways notes say that a council struggles, does, changed, took part or offers,
not phrases of any one document.
"""

from __future__ import annotations

import re

from graph.schema import EvidenceKind

E = EvidenceKind

_SHARE_VERBS = r"(?:share|offer|host|lend|send|provide|show|mentor|support)"

# A sentence about where a meeting was held or who sent apologies says nothing of strength.
NO_CLAIM = re.compile(r"\b(?:apologies|held (?:at|in)|hosted (?:at|in|by)|took place (?:at|in)|"
                      r"venue|next meeting)\b", re.I)

KindPatterns = tuple[tuple[EvidenceKind, float, re.Pattern[str]], ...]


def kind_patterns(rows: tuple[tuple[EvidenceKind, float, str], ...]) -> KindPatterns:
    """(evidence kind, confidence, pattern) rows with their patterns compiled."""
    return tuple((kind, conf, re.compile(pattern)) for kind, conf, pattern in rows)


CUES: KindPatterns = kind_patterns(
    (
        (E.OFFER, 0.85, r"\b(?:offer(?:ed|s)? to (?:share|host|support|help|mentor)|"
                        rf"(?:can|could|will|would|happy to|willing to) (?:gladly |happily )?"
                        rf"{_SHARE_VERBS}|"
                        r"(?:would be|is|are|was|were) (?:very )?(?:happy|glad|pleased|keen) "
                        r"to|gladly|offered|"
                        r"(?:is|are) open to visits|invited (?:other )?(?:councils|colleagues)|"
                        # an action in minutes: 'Stoke-on-Trent to share its approach ...'
                        r"(?<![\w-])to (?:share|circulate|host|lend|mentor))\b"),
        (E.CHALLENGE, 0.8, r"\b(?:wants? (?:help|support|better|more)|want(?:ed)? help|"
                           r"wants? to (?:hear from|learn from|talk to|speak to|visit)|"
                           r"asked (?:\w+ ){0,3}for (?:help|support|advice|ideas)|struggl\w*|"
                           r"(?:is|are|was|were) (?:still |now )?working on|"
                           r"(?:needs?|seeking|seeks|sought) (?:help|support|advice)|"
                           r"concerned about|worried about|worry|worries|"
                           r"(?:would )?welcome (?:help|support|advice|someone|somebody|anyone|"
                           r"ideas)|"
                           # asking peers whether they have solved it
                           r"asked (?:whether|if) (?:anyone|anybody|any|other|others)\b|"
                           r"priorit(?:y|ies)|grappling|finding it (?:hard|difficult)|"
                           r"(?:hard|difficult) to|shortages?|backlogs?|delays|"
                           r"(?:has|have|had) (?:left|lost)|to be (?:challenged|reviewed)|"
                           # losing staff, posts nobody fills, work not yet under way
                           r"(?:is|are|was|were) (?:still )?losing|too (?:many|few)|"
                           # what takes too long and where a service is weakest
                           r"(?:far |much |far too |much too )?too (?:long|slow\w*)|"
                           r"weakest|weakness(?:es)?|"
                           r"(?:empty|vacant|unfilled) (?:since|for)|"
                           r"(?:nobody|no one|no-one) (?:has )?applied|"
                           r"recogni[sz]es (?:this|that|the problem)|barely (?:begun|started)|"
                           r"not yet (?:begun|started)|"
                           # pressure, want and a poor judgement
                           r"fac(?:es|ing) (?:a |an )?(?:shortage|rise|backlog|pressure|"
                           r"difficult\w*|challenges?)|under (?:pressure|strain)|short of|"
                           r"lacks?|lacking|(?:rated|judged) (?:as )?(?:requires improvement|"
                           r"inadequate))\b"),
        (E.IMPACT, 0.8, r"\b(?:(?:has|have|had) (?:lifted|cut|reduced|halved|increased|"
                        r"improved|raised|lowered|stabilised|stabilized|doubled|turned round|"
                        r"brought down|risen|fallen|gone (?:up|down)|dropped)|"
                        r"now manageable|resulted in|led to (?:a )?(?:fall|rise|drop)|"
                        r"\d+ ?(?:%|per ?cent)|"
                        # a measure against an earlier one: 'fell from 11 to 6', '31 weeks
                        # against 44', 'more than in the previous three years'
                        r"(?:fell|rose|dropped|grew|climbed|came down|went (?:up|down)) "
                        r"(?:from|to|by)|"
                        r"(?:against|compared with|compared to|down from|up from) "
                        r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|half|"
                        r"a (?:third|quarter|half|fifth))|"
                        r"than (?:in )?(?:the )?(?:previous|last|a year|two years|three years)|"
                        r"(?:a (?:third|quarter|half|fifth) |far |many )?fewer|"
                        r"(?:far |much )?less often|"
                        r"(?:has|have|had) kept (?:all|most|every|nearly)|"
                        r"(?:saw|seen|see|seeing) (?:a |an )?(?:\w+ )?(?:fall|drop|rise|"
                        r"reduction|increase|improvement)|(?:down|up) by \d+|"
                        r"(?:now )?(?:rated|judged) (?:as )?(?:good|outstanding)|halved|doubled)"),
        (E.PRACTICE, 0.7, r"\b(?:(?:has|have|had) (?:developed|introduced|implemented|"
                          r"set up|established|built|rebuilt|created|launched|piloted|"
                          r"redesigned|embedded|adopted|been implementing|run|been running|"
                          r"moved|brought|kept|begun|started|trained|opened|merged)|"
                          r"developed|introduced|implemented|implementing|set up|established|"
                          r"rebuilt|launched|piloted|piloting|embedding|undertaking|"
                          r"described how|told us how|(?:the|its|their) story of (?:its|their|how)|"
                          r"co-locat\w+|harness\w+|re-?thinking|"
                          r"put together|moving them|runs|is running|used to run|"
                          r"extend(?:s|ed|ing)|(?:is|are) now (?!working)\w+ing|adopted|uses|"
                          r"used(?! to)|(?:has|have|had) completed|"
                          # routine work told in the present tense, and trials
                          r"audits|pairs|trains|employs|commissions|"
                          r"now (?:include|spend|hold|meet|use|run|offer|bring|work|visit|"
                          r"audit|train|sit)s?\b|"
                          r"tested|trialled|trialed|trialling|"
                          r"(?:was|were) among the first|kept (?:that|it|this) going|"
                          r"brought (?:its|their|the) |"
                          r"invested in|recruited|(?:has|have) (?:a|its own|their own) "
                          r"dedicated|holds|commissioned)"),
        (E.PARTICIPATION, 0.7, r"\b(?:took part|take part|taking part|participated|"
                               r"attended|presented|shared (?:their|its|his|her)? ?"
                               r"(?:stories|story|learning|experiences?)|"
                               r"shared what (?:it|they) (?:had )?learn\w*|"
                               r"described what (?:it|they) (?:had )?learn\w*|"
                               r"passed on what|one of the (?:councils|authorities|areas|sites) "
                               r"(?:in|on|taking)|"
                               # lending or seconding staff to a team is taking part in its work
                               r"(?:sent|lent|seconded) (?!(?:its |their |her |his )?apolog)"
                               r"(?:\w+ ){0,3}to|"
                               r"agreed to (?:send|join|take part|host)|will help|"
                               # 'Wigan to join the set' (an action), not 'ask them to join a visit'
                               r"joined(?! up)|(?<![\w-])(?<!them )(?<!us )to (?:join|attend)|"
                               r"(?:sitting|sat|sits) in on|"
                               r"(?:is|are|was|were) (?:a )?members? of|"
                               r"(?:is|are|was|were) part of (?:the|a|an) (?:[\w'’-]+ ){0,4}"
                               r"(?:programme|network|group|pilot|project|partnership|cohort)|"
                               r"(?:was|were) one of|contributed|spoke (?:about|at|on)|"
                               r"gave a (?:talk|presentation)|"
                               r"led (?:a|the) (?:session|workshop|discussion))\b"),
    )
)

TEAM = re.compile(r"\b(?:the|our|a|its) (?:review |peer |visiting )?team (?:was|were|included|"
                  r"comprised|consisted of|was made up of)|member peer|"
                  r"(?:reviewers|peers) (?:were|came from)\b", re.I)
"""A sentence listing who was on a team: every council it names took part in that work."""

ENDORSE = re.compile(r"\b(?:thanked|grateful to|credited|thanks to|"
                     # a manager's recommendation of what another's staff did with them
                     r"recommended (?:it|them|the|her|him)|(?:has|have|had) changed how|"
                     r"(?:the )?best (?:help|support)|"
                     r"could not have (?:\w+ ){0,6}without|"
                     r"(?:most|very|really) (?:useful|helpful|valuable)|invaluable|"
                     r"made (?:a|the|all the) (?:real )?difference)\b", re.I)
"""Praise of another council's help: the one helped speaks, the helper is endorsed."""

ENDORSED_AFTER = re.compile(r"\b(?:thanked|grateful to|credited|thanks to)\s+(?:the\s+)?"
                            # 'credited the service managers from Wolverhampton'
                            r"(?:(?:[\w'’-]+\s+){1,3}from\s+(?:the\s+)?)?$", re.I)
ENDORSED_BEFORE = re.compile(r"['’]s\s+(?:\w+\s+){0,2}(?:help|support|advice|work|team|"
                             r"managers|staff|mentoring|coaching|lead|leads|reviewers)\b", re.I)
HELP_FROM = re.compile(r"\b(?:help|support|advice|mentoring|coaching) from\s+(?:the\s+)?$",
                       re.I)

REPORTER = re.compile(r"['’]?s?\s*(?:told (?:us|the \w+|members)|said|reported|explained|"
                      r"noted)(?: that)?\b", re.I)
"""'Cafcass told us that proceedings in Somerset ...': the teller is a source, not the subject,
when another actor follows."""
