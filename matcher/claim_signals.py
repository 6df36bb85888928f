"""What kind of claim a sentence makes when it uses none of the listed cue phrases: general
signals of tense, modality and measure (`matcher.claim_cues` lists the phrases).

Read on one actor's part of a sentence, lower-cased, only where no cue phrase is found there,
and less sure than a cue phrase:

- a completed action in the perfect ('has just finished', 'have brought in', 'began in May'),
  the subject's own action in the past ('Leeds redesigned its front door'), or a routine in
  the present ('every social worker gets', 'a manager now phones') is practice, and so are
  something in place since a time ('has had a psychologist in each team since the spring')
  and a judgement of strength ('is strong', 'rate it highly');
- a measured change is impact (the cue phrases already read figures and 'fell from');
- willingness or room to take others in ('has room for', 'are welcome to', 'will take') is
  an offer;
- want, pressure and gaps ('not enough', 'cannot say', 'have not been', 'keeps losing',
  'more than planned', 'over budget', 'a recovery plan') are a challenge;
- belonging to a shared piece of work ('has been in a learning set', 'funded through',
  'sat as a reviewer', 'have been coming to') is participation.

A sentence with a subject and a theme but none of these signals gives no claim: in long
reports a council and a theme share many sentences that say nothing of strength or need.
A practice, impact, offer or participation signal that is negated ('has not yet brought in')
or only hoped for ('hopes to have set up') is no claim of that kind.
"""

from __future__ import annotations

import re

from graph.schema import EvidenceKind
from matcher.claim_cues import KindPatterns, kind_patterns

E = EvidenceKind

# verbs in '-ed' that, after 'has', say something other than work done
_NOT_DONE = (r"asked|wanted|needed|struggled|failed|missed|requested|worried|decided|agreed|"
             r"noted|reported|raised|warned|expected|hoped|planned|intended|tried|started|"
             r"been|seemed|appeared|suffered|lost|claimed|proposed|suggested|acknowledged|worked|"
             r"witnessed|discussed|considered|received|heard|looked|experienced|faced|issued|"
             r"welcomed|thanked|praised|chaired|attended|visited|described|explained|"
             r"outlined|presented|shared|invited|asked|needed")
# words ending in -s after 'every ...' or 'now' that are not a verb of what is done
_NOT_VERB = (r"this|is|was|has|its|his|as|us|less|across|unless|plus|thus|always|perhaps|"
             r"sometimes|months|weeks|years|days|hours|times|terms|other|others|councils|"
             r"teams|areas|districts|cases|families|children|parents|staff|year|week|month")

# a time something has lasted since ('since 2021', 'since the spring', 'since March')
_SINCE = (r"(?:(?:19|20)\d\d|the (?:spring|summer|autumn|winter|start)|last (?:year|spring|"
          r"summer|autumn|winter)|january|february|march|april|may|june|july|august|september|"
          r"october|november|december)\b")

# what was had since then is a lack or a trouble, not work ('has had no ...', 'has had
# problems with ... since May', 'has had to close ...')
_NOT_A_GAP = (r"(?! (?:no|none|not|nobody|to|(?:\w+ ){0,2}(?:problems?|difficult\w*|"
              r"troubles?|issues?|complaints?|concerns?))\b)")

SIGNALS: KindPatterns = kind_patterns(
    (
        (E.CHALLENGE, 0.6, r"\b(?:not enough|nowhere near enough|(?:cannot|can't|could not|"
                           r"couldn't|unable to) (?:yet |currently |easily )?(?:say|tell|show|"
                           r"find|recruit|fill|keep|meet|get|see|know|track|report)|"
                           r"(?:has|have|had) not (?:yet )?been|not yet|"
                           r"(?:still |urgently )?needs to (?!be\b)|"
                           r"keeps? (?:on )?losing|(?:more|higher|faster) than (?:\w+ ){0,3}"
                           r"(?:planned|expected|budgeted|forecast)|"
                           r"over ?spen\w*|over (?:its |their |the )?budget|ahead of (?:its |"
                           r"their |the )?(?:\w+ )?budget|recovery plan|"
                           r"depends? (?:heavily |largely |too much )?on (?:which|where|who)|"
                           r"undo(?:es|ing)?|undermin\w+|(?:vacant|unfilled) (?:\w+ ){0,3}posts|"
                           r"(?:inspectors?|ofsted|inspection) (?:found|judged|said|rated|"
                           r"criticised|identified))\b"),
        (E.OFFER, 0.6, r"\b(?:(?:has|have) (?:room|places|space|capacity) for|"
                       # a promise to help made: 'has agreed to talk other councils through'
                       r"(?:has|have) agreed to (?:talk|walk|meet|run|host|share|send|show|"
                       r"mentor|support|help|work with|take)|"
                       r"(?:is|are) (?:very |most )?welcome to|"
                       r"(?:will|would|could|can|happy to|keen to|willing to) (?:gladly )?"
                       r"(?:take|welcome|give|open|talk|walk)\b(?! part))\b"),
        (E.PARTICIPATION, 0.6, r"\b(?<!would )(?<!could )(?<!might )(?<!should )"
                               r"(?:(?:has|have|had) been (?:in|on|part of) (?:a|an|the) |"
                               r"(?:is|are|was|were) (?:in|on) (?:a|an|the) (?:[\w'-]+ ){0,3}"
                               r"(?:learning set|set|network|programme|pilot|cohort|panel)\b|"
                               r"(?:has|have|had|been|was|were|is|are) funded (?:by|through|"
                               r"from|under)|"
                               r"(?:sat|sits|served|serves|acted|acts) as (?:a |an )?"
                               r"(?:reviewer|peer|panel member|member|mentor)|"
                               r"(?:has|have|had) been (?:coming|going) to)"),
        (E.PRACTICE, 0.6, r"\b(?:"
                          # the subject's own action told in the past early in its part of
                          # the sentence: 'Leeds redesigned its front door'
                          rf"^(?:(?!to |not |never |have )[\w'’*-]+ ){{1,4}}?"
                          r"(?:also |recently |then |successfully )?"
                          rf"(?!{_NOT_DONE}\b)[a-z]{{3,}}ed (?:its|their|a|an|the|new)\b|"
                          r"(?:has|have|had) (?:just |now |recently |already |since |"
                          rf"successfully )?(?!{_NOT_DONE}\b)[a-z]{{3,}}ed\b|"
                          r"(?:has|have|had) (?:just |now |recently )?(?:brought in|rolled out|"
                          r"put in place|taken on|built|made|begun|run|set up)|"
                          r"(?:began|begun|started) (?:in|last|this|during|early|from)\b|"
                          # something in place from a time until now: 'has had a psychologist
                          # in each team since the spring', 'since March, every team has had'
                          rf"(?:has|have) (?:had|met|held|kept|run|used)\b{_NOT_A_GAP}"
                          rf"[^.;:]*?\bsince {_SINCE}|"
                          rf"^since {_SINCE}[^.;:]*?\b(?:has|have) (?:had|met|held|"
                          rf"kept|run|used)\b{_NOT_A_GAP}|"
                          r"(?:is|are|has been|have been) in place|"
                          rf"\bnow (?!{_NOT_VERB}\b)[a-z]{{2,}}(?:s|es)\b|"
                          # 'every child in care chooses' opening a sentence or a clause
                          # (not 'reviews each service')
                          rf"(?:^|(?<=[,;:.*] ))(?:\d+\. )?(?:every|each) "
                          rf"(?:[\w'’-]+ ){{1,4}}?(?:now )?"
                          rf"(?!{_NOT_VERB}\b)[a-z]{{3,}}s\b|"
                          r"(?:is|are) (?:particularly |very |notably )?(?:strong|a (?:real |"
                          r"particular )?strength|well regarded|highly regarded)|"
                          r"rate[sd]? (?:it|them|this) highly)"),
    )
)

_NEGATED = re.compile(r"\b(?:not|never|no longer|nobody|no one|none|cannot|can't|isn't|"
                      r"hasn't|haven't|didn't|doesn't|won't|yet to)\b(?:\W+\w+){0,3}\W*$")
_HOPED = re.compile(r"\b(?:hopes?|hoping|plans?|planning|aims?|aiming|intends?|intending|"
                    r"wants?|would like|expects?) to\b(?:\W+\w+){0,3}\W*$")
_HOPE_CHARS = 40
_NOBODY = re.compile(r"\b(?:not (?:one|a single)|none|no one|no-one|nobody)\b[^.;,]*$", re.I)


def stated_as_done(clause: str, kind: EvidenceKind, at: int) -> bool:
    """Whether a cue of this kind at `at` in the clause is said to have happened (or to be on
    offer): not negated just before it nor (a challenge) said of nobody, and (for practice and
    impact) not only hoped for."""
    before = clause[max(0, at - _HOPE_CHARS):at]
    if _NEGATED.search(before):
        return False
    if kind == E.CHALLENGE:
        # 'Not one of the staff we took on has left': a loss nobody suffered
        return not _NOBODY.search(clause, 0, at)
    return kind not in (E.PRACTICE, E.IMPACT) or not _HOPED.search(before)
