from docmine.config import load_settings
from docmine.link import link_clause, make_context
from docmine.link.bodies import find_bodies, learn_acronyms, load_gazetteer
from docmine.link.dates import find_deadline
from docmine.model import Force, ForceDecision

SETTINGS = load_settings()
GAZETTEER = load_gazetteer([SETTINGS.bodies])


def bodies(text: str) -> list[str]:
    return [m.canonical for m in find_bodies(text, GAZETTEER)]


def test_bodies_survive_plurals_possessives_case_and_line_breaks() -> None:
    assert bodies("The ICB's plan and integrated care\nboards") == ["integrated care board"] * 2
    assert bodies("Local Healthwatch organisations and the LGA") == [
        "local Healthwatch",
        "Local Government Association",
    ]


def test_generic_system_links_only_as_a_noun() -> None:
    assert bodies("work within a system") == ["integrated care system"]
    assert bodies("system level working with system partners") == []


def test_document_defined_acronyms_are_learned() -> None:
    learned = learn_acronyms("integrated care providers (ICPs) differ", GAZETTEER)
    assert learned == {"ICP": ""}  # the other ICP: never linked to the partnership
    assert [m.canonical for m in find_bodies("ICPs act", GAZETTEER, learned)] == []


def test_holder_is_subject_object_or_agent() -> None:
    context = make_context("", [SETTINGS.bodies], SETTINGS.duties)
    cases = {
        "ICBs must publish a plan.": "integrated care board",
        "We expect ICPs to engage early.": "integrated care partnership",
        "The strategy must be published by the ICP.": "integrated care partnership",
        "Engagement should be broad.": "",
    }
    for text, holder in cases.items():
        cue = "expect" if "expect" in text else ("must" if "must" in text else "should")
        force = Force.EXPECTATION if cue != "must" else Force.MANDATORY
        assert link_clause(text, ForceDecision(force, cue=cue), context).holder == holder, text


def test_duty_and_deadline_are_linked() -> None:
    context = make_context("", [SETTINGS.bodies], SETTINGS.duties)
    links = link_clause(
        "ICPs must prepare an integrated care strategy by December 2022.",
        ForceDecision(Force.MANDATORY, cue="must"),
        context,
    )
    assert links.duty is not None and links.duty.id == "prepare-integrated-care-strategy"
    assert links.duty.law.startswith("LGPIHA 2007")
    assert links.deadline is not None
    assert (links.deadline.text, links.deadline.start, links.deadline.end) == (
        "by December 2022",
        "2022-12-01",
        "2022-12-31",
    )


def test_deadlines_are_normalised_with_their_relation() -> None:
    deadline = find_deadline("throughout 2021/22")
    assert deadline is not None
    assert (deadline.relation, deadline.start, deadline.end) == (
        "during",
        "2021-04-01",
        "2022-03-31",
    )
    quarter = find_deadline("by end of Q2", default_year=2021)
    assert quarter is not None and (quarter.start, quarter.end) == ("2021-07-01", "2021-09-30")
