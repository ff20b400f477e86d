"""The controlled vocabulary of stances an actor can take in a statement.

Each stance has a definition, an example from the seed articles and its nearest
CAMEO event code (Conflict and Mediation Event Observations, v1.1b3) so that
FactDB data can be lined up with event datasets such as GDELT and ICEWS.
"""

from dataclasses import dataclass

from django.db import models


class Stance(models.TextChoices):
    ASSERTS = "asserts", "asserts"
    REPORTS = "reports", "reports"
    FINDS = "finds", "finds"
    DENIES = "denies", "denies"
    REJECTS = "rejects", "rejects"
    DISPUTES = "disputes", "disputes"
    ACKNOWLEDGES = "acknowledges", "acknowledges"
    WELCOMES = "welcomes", "welcomes"
    CONDEMNS = "condemns", "condemns"
    CALLS_FOR = "calls_for", "calls for"
    DEMANDS = "demands", "demands"
    EXPRESSES_CONCERN = "expresses_concern", "expresses concern"
    ACCUSES = "accuses", "accuses"
    PLEDGES = "pledges", "pledges"


# Each stance's label by value, built once (Statement.get_stance_display()).
STANCE_LABELS: dict[str, str] = dict(Stance.choices)


@dataclass(frozen=True)
class StanceDefinition:
    definition: str
    example: str
    cameo_code: str
    cameo_label: str


STANCE_DEFINITIONS: dict[str, StanceDefinition] = {
    Stance.ASSERTS: StanceDefinition(
        "States a proposition as true in the actor's own name, typically a "
        "counter-claim or a characterisation.",
        "Beijing maintains the camps serve to de-radicalize locals from Islamic "
        "extremism, separatism and terrorism.",
        "010",
        "Make statement, not specified below",
    ),
    Stance.REPORTS: StanceDefinition(
        "Publishes an allegation or account based on its own reporting (interviews, "
        "documents), as a news outlet or NGO does.",
        "The BBC reported, citing interviews with former detainees and a guard, that "
        "Uighur women in the camps are systematically subjected to rape.",
        "010",
        "Make statement, not specified below",
    ),
    Stance.FINDS: StanceDefinition(
        "States a conclusion of an investigation or assessment; the findings of a "
        "report are statements of its author, so responses can target each one.",
        "The OHCHR assessment concluded that serious human rights violations have "
        "been committed in Xinjiang.",
        "010",
        "Make statement, not specified below",
    ),
    Stance.DENIES: StanceDefinition(
        "Says an alleged fact is untrue, typically an allegation against the actor.",
        "China has repeatedly denied any abuses against its Uighur minority.",
        "016",
        "Deny responsibility",
    ),
    Stance.REJECTS: StanceDefinition(
        "Refuses to accept a report, finding, recommendation or demand as valid.",
        "Wang Wenbin said Beijing 'naturally completely rejects' the UN's "
        "recommendations.",
        "120",
        "Reject, not specified below",
    ),
    Stance.DISPUTES: StanceDefinition(
        "Contests part of a claim (its extent, framing or evidence) without denying "
        "it outright.",
        "Deng Li said the alleged mistreatment has been distorted and deliberately "
        "exaggerated.",
        "110",
        "Disapprove, not specified below",
    ),
    Stance.ACKNOWLEDGES: StanceDefinition(
        "Accepts that something is so, often a limitation or a fact against interest.",
        "The report acknowledged a lack of information to draw firm conclusions as to "
        "the extent of such abuses.",
        "015",
        "Acknowledge or claim responsibility",
    ),
    Stance.WELCOMES: StanceDefinition(
        "Approves of a document, decision or proposal.",
        "Blinken stated that the US has 'welcomed' the UN report.",
        "051",
        "Praise or endorse",
    ),
    Stance.CONDEMNS: StanceDefinition(
        "Denounces an act or a document in strong terms.",
        "Turkey issued a strongly worded condemnation of 'human rights violations' in "
        "Xinjiang.",
        "111",
        "Criticize or denounce",
    ),
    Stance.CALLS_FOR: StanceDefinition(
        "Appeals for an action: access, an investigation, a visit, restraint.",
        "UN spokesperson Stephane Dujarric called for a visit of the High "
        "Commissioner to Xinjiang.",
        "020",
        "Make an appeal or request, not specified below",
    ),
    Stance.DEMANDS: StanceDefinition(
        "Requires an action from another actor, more forcefully than an appeal.",
        "The Chinese Foreign Ministry demanded a public apology from the BBC.",
        "100",
        "Demand, not specified below",
    ),
    Stance.EXPRESSES_CONCERN: StanceDefinition(
        "Says it is troubled or disturbed by reports or events without endorsing "
        "them as established.",
        "The US Department of State expressed its disturbance over reports of rape "
        "in the camps.",
        "012",
        "Make pessimistic comment",
    ),
    Stance.ACCUSES: StanceDefinition(
        "Attributes wrongdoing to another actor.",
        "The Chinese Foreign Ministry accused the BBC of producing 'fake news'.",
        "112",
        "Accuse, not specified below",
    ),
    Stance.PLEDGES: StanceDefinition(
        "Commits the actor to a future course of action.",
        "Blinken said Washington will continue working with allies to seek justice "
        "and accountability.",
        "030",
        "Express intent to cooperate, not specified below",
    ),
}
