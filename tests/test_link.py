from pathlib import Path

import pytest

from docmine.config import load_settings
from docmine.link import link_clause, link_clauses, make_context
from docmine.link.bodies import find_bodies, learn_acronyms, load_gazetteer, long_form
from docmine.link.dates import find_deadline
from docmine.link.duties import find_duty, load_duties
from docmine.model import Force, ForceDecision, Span

SETTINGS = load_settings()
GAZETTEER = load_gazetteer([SETTINGS.bodies])
DUTIES = load_duties(SETTINGS.duties)


def bodies(text: str) -> list[str]:
    return [m.canonical for m in find_bodies(text, GAZETTEER)]


def test_bodies_survive_plurals_possessives_case_and_line_breaks() -> None:
    assert bodies("The ICB's plan and integrated care\nboards") == ["integrated care board"] * 2
    assert bodies("Local Healthwatch organisations and the LGA") == [
        "local Healthwatch",
        "Local Government Association",
    ]


def test_a_body_before_led_or_funded_is_named_but_not_before_wide() -> None:
    """ "local authority-led services" names the local authority (the gold counts it); an
    adjective made with "-wide" or "-level" describes a scope, not a body."""
    assert bodies("support local authority-led stop smoking services") == ["local authority"]
    assert bodies("ICB-commissioned and NHS England-funded care") == [
        "integrated care board",
        "NHS England",
    ]
    assert bodies("ICS-wide and ICB-level plans") == []


def test_generic_system_links_only_as_a_noun() -> None:
    assert bodies("work within a system") == ["integrated care system"]
    assert bodies("system level working with system partners") == []
    assert bodies("across the health and care system") == []


def test_a_proper_name_ending_in_system_names_no_ics_but_one_ending_in_council_does() -> None:
    """A capitalised name ending in "System" is a service or a tool (body_rules.yaml
    `generic_names_other`); one ending in "Council" is a council."""
    from docmine.language.nlp import parse_texts

    texts = [
        "Providers moved from the National Reporting and Learning System to LFPSE.",
        "The NHS Equality Delivery System helps organisations review their performance.",
        "The Equality Delivery System's goals apply to every NHS organisation.",
        "Cornwall Council must publish its plan.",
        "Each system should agree its plan.",
    ]
    found = [
        [m.canonical for m in find_bodies(text, GAZETTEER, parse=parse)]
        for text, parse in zip(texts, parse_texts(texts, SETTINGS.spacy_model), strict=True)
    ]
    assert found == [[], [], [], ["local authority"], ["integrated care system"]]


def test_a_possessive_generic_word_is_a_noun_of_its_own() -> None:
    """ "system plans" uses "system" as a modifier; "Cornwall Council's plan" is the council's."""
    assert bodies("Cornwall Council's plan and the council's plans") == ["local authority"] * 2
    assert bodies("system plans and council plans") == []


def test_alias_traps_from_the_decisions_are_data() -> None:
    assert bodies("with the NHS Confederation and NHS Providers") == ["NHS Confederation"]
    assert bodies("NHS providers and ambulance trusts") == ["NHS provider", "NHS provider"]
    assert bodies("the ICS NHS body and the ICS Network") == [
        "integrated care board",
        "NHS Confederation",
    ]
    assert bodies("councillors and the local CVS") == ["local authority", "VCSE sector"]
    assert bodies("home care providers") == ["social care provider"]
    # a trust's board is the trust's (the gold: "a checklist for trust boards" names NHS
    # providers); "trust" alone is a common noun
    assert bodies("a checklist for trust boards and the trust board") == ["NHS provider"] * 2
    assert bodies("we need to build trust. Boards should act.") == []
    # an NHS care sector's providers are not social care's; "community care providers" are
    assert bodies("Primary care providers and secondary care providers") == []
    assert bodies("community care providers") == ["social care provider"]
    # "NHS body" is an ICB alias in bodies.yaml, and so is its plural: the Annex C reading ("NHS
    # bodies in general") is one document's, not a trap for every text
    assert bodies("NHS bodies should publish data") == ["integrated care board"]


def test_councils_that_are_not_local_authorities() -> None:
    # regulators, national councils and the instrument "Order in Council" are not councils of
    # places; "Kent County Council", "Cornwall Council" and the Common Council of the City of
    # London are
    assert bodies("the General Medical Council and the Nursing and Midwifery Council") == []
    assert bodies("the Health and Care Professions Council") == []
    assert (
        bodies("made by Order in Council, as the Public Appointments Order in Council 2023") == []
    )
    assert bodies("Kent County Council and Cornwall Council") == ["local authority"] * 2
    assert bodies("the Common Council of the City of London") == ["local authority"]
    assert (
        bodies("Barnsley Metropolitan Borough Council and the London Borough of Camden")
        == ["local authority"] * 2
    )
    assert bodies("Leeds City Council and borough councils") == [
        "local authority",
        "district council",
    ]
    assert bodies("the NHS Trust Development Authority and charitable trusts") == []
    assert bodies("acute trusts and NHS trusts") == ["NHS provider"] * 2


def test_document_defined_acronyms_are_learned() -> None:
    learned = learn_acronyms("integrated care providers (ICPs) differ", GAZETTEER)
    assert learned == {"ICP": ""}  # the other ICP: never linked to the partnership
    assert [m.canonical for m in find_bodies("ICPs act", GAZETTEER, learned)] == []


def test_acronyms_are_matched_letter_by_letter_not_by_initials() -> None:
    # Schwartz and Hearst: letters inside words count ("Healthwatch England (HWE)")
    text = "Healthwatch England (HWE) advises. HWE must report to the Secretary of State."
    learned = learn_acronyms(text, GAZETTEER)
    assert learned == {"HWE": "Healthwatch England"}
    assert "Healthwatch England" in [
        m.canonical for m in find_bodies("HWE must", GAZETTEER, learned)
    ]
    assert long_form("DHSC", "the Department of Health and Social Care") == (
        "Department of Health and Social Care"
    )
    assert long_form("XYZ", "some other words") == ""
    # a known acronym defined as another body is never linked; worded otherwise, it still is
    assert learn_acronyms("Criminal Records Bureau (CRB) checks", GAZETTEER) == {"CRB": ""}
    assert learn_acronyms("the Voluntary, Community and Social Enterprise (VCSE)", GAZETTEER) == {
        "VCSE": "VCSE sector"
    }


def test_an_ambiguous_acronym_takes_the_sense_the_document_uses() -> None:
    text = "An integrated care provider holds one contract. The ICP is paid per head."
    learned = learn_acronyms(text, GAZETTEER)
    assert [m.canonical for m in find_bodies(text, GAZETTEER, learned)] == []


def context(document: str = "") -> object:
    return make_context(document, SETTINGS)


def holder_of(text: str, cue: str, force: Force = Force.EXPECTATION, document: str = "") -> str:
    return link_clause(
        text,
        ForceDecision(force, cue=Span(cue)),
        make_context(document, SETTINGS),
    ).holder


@pytest.mark.slow
def test_holder_is_subject_object_or_agent() -> None:
    cases = {
        ("ICBs must publish a plan.", "must"): "integrated care board",
        ("We expect ICPs to engage early.", "We expect"): "integrated care partnership",
        ("The strategy must be published by the ICP.", "must"): "integrated care partnership",
        ("Engagement should be broad.", "should"): "",
        ("Local authorities and ICBs should agree a plan.", "should"): "local authority",
        ("The ICB Chair should meet partners.", "should"): "integrated care board",
        ("System partners should meet monthly.", "should"): "",
        ("Systems should define their places.", "should"): "integrated care system",
        ("ICPs are expected to publish a strategy.", "are expected to"): (
            "integrated care partnership"
        ),
        ("The Bill places a duty on ICBs to involve carers.", "duty"): "integrated care board",
        ("There will be a need for ICSs to share practice", "need"): "integrated care system",
        ("Health and wellbeing boards are responsible for preparing the JSNA.", ""): (
            "health and wellbeing board"
        ),
        (
            "Whilst practice may differ across ICPs, it is important that the ICB should agree "
            "a plan.",
            "it is important that",
        ): "integrated care board",
    }
    for (text, cue), holder in cases.items():
        assert holder_of(text, cue) == holder, text


@pytest.mark.slow
def test_a_modal_binds_its_subject_not_the_one_it_directs_or_asks() -> None:
    """ "X must not direct Y to ..." binds X; the author or a text asking Y to ... binds Y."""
    cases = {
        ("NHS England must not direct an ICB to close a service.", "must"): "NHS England",
        ("The ICB must not ask the council to fund the service.", "must"): (
            "integrated care board"
        ),
        ("The Secretary of State may direct NHS England to collect data.", "may"): (
            "Secretary of State"
        ),
        ("We would ask trusts to speak to their nearest centre.", "would ask"): "NHS provider",
        ("The Act will require ICPs to involve local Healthwatch.", "require"): (
            "integrated care partnership"
        ),
    }
    for (text, cue), holder in cases.items():
        assert holder_of(text, cue) == holder, text


@pytest.mark.slow
def test_holder_without_a_cue_comes_from_the_first_governing_word() -> None:
    assert holder_of("July 2022 ICP formally established by local authorities", "") == (
        "local authority"
    )
    assert holder_of("December 2022 Each ICP to publish a strategy.", "") == (
        "integrated care partnership"
    )


@pytest.mark.slow
def test_pronouns_and_continuations_take_the_previous_holder() -> None:
    ctx = make_context("", SETTINGS)
    decisions = [ForceDecision(Force.EXPECTATION, cue=Span("should"))] * 3
    links = link_clauses(
        [
            "The ICB should publish a plan,",
            "and should not duplicate the work of partners.",
            "They should also consult Healthwatch.",
        ],
        decisions,
        ctx,
    )
    assert [link.holder for link in links] == ["integrated care board"] * 3


@pytest.mark.slow
def test_a_continuation_split_off_a_clause_without_force_takes_that_clause_s_subject() -> None:
    """ "ICBs are statutory partners ... | and must work with local authorities ...": the part
    split off has no subject of its own; it is the ICBs', not the bodies it names."""
    ctx = make_context("", SETTINGS)
    links = link_clauses(
        [
            "ICBs are statutory safeguarding partners under the Children Act 2004",
            "and must work with local authorities to agree local safeguarding arrangements.",
        ],
        [ForceDecision(Force.NONE), ForceDecision(Force.MANDATORY, cue=Span("must"))],
        ctx,
    )
    assert [link.holder for link in links] == ["", "integrated care board"]


@pytest.mark.slow
def test_a_continuation_of_a_part_whose_subject_names_no_body_has_no_holder() -> None:
    """ "Declarations should be made using the online system | and must be updated at least
    annually": the part split off is about the declarations, not the body named before them."""
    ctx = make_context("", SETTINGS)
    links = link_clauses(
        [
            "The ICB must keep a register of interests.",
            "Declarations should be made using the online system",
            "and must be updated at least annually.",
        ],
        [
            ForceDecision(Force.MANDATORY, cue=Span("must")),
            ForceDecision(Force.EXPECTATION, cue=Span("should")),
            ForceDecision(Force.MANDATORY, cue=Span("must")),
        ],
        ctx,
    )
    assert [link.holder for link in links] == ["integrated care board", "", ""]


@pytest.mark.slow
def test_an_action_table_s_owner_cell_names_the_holder() -> None:
    """The cell holding only body names is the owner column, whatever the action cell names;
    the first body named there holds (joint holders, DECISIONS.md C.22). A rule, so no
    probability."""
    ctx = make_context("", SETTINGS)
    decisions = [ForceDecision(Force.EXPECTATION, cue=Span("Agree"))] * 2
    rows = [
        "Agree discharge arrangements with local authorities | ICB and local authority | "
        "30 November 2026",
        "Agree a plan with the ICB | the local authority | 30 November 2026",
    ]
    links = link_clauses(rows, decisions, ctx)
    assert [link.holder for link in links] == ["integrated care board", "local authority"]
    assert [link.holder_confidence for link in links] == [-1.0, -1.0]
    # an action cell naming a body among other words is no owner cell
    from docmine.link.holder import owner_cell

    text = "Agree a plan with the ICB | 30 November 2026"
    assert owner_cell(text, find_bodies(text, GAZETTEER)) is None
    # a generic word that fills the owner cell names its body where the document names it
    row = "Agree a single waiting list for the ICB area | Systems | 31 March 2027"
    ctx = make_context(f"The actions for each ICB are below.\n{row}", SETTINGS)
    (link,) = link_clauses([row], decisions[:1], ctx)
    assert link.holder == "integrated care system"
    # not in a register of things ("Shared care record | Systems | Required")
    row = "Shared care record | Systems | Required"
    ctx = make_context(f"The ICB keeps a register.\n{row}", SETTINGS)
    (link,) = link_clauses([row], [ForceDecision(Force.MANDATORY, cue=Span("Required"))], ctx)
    assert link.holder != "integrated care system"


@pytest.mark.slow
def test_an_owner_column_naming_a_role_makes_a_row_an_assigned_action() -> None:
    """An action plan's owner column may name a role, not a listed body ("Director of
    Midwifery"): the row is still an action assigned (classification reads it so), after a
    reference column too; a row of figures, labels or ratings is not one."""
    from docmine.classify import classify_texts
    from docmine.link import owned_rows

    rows = [
        "A1 | Recruit 12 midwives to close the gap | Director of Midwifery | By end of Q3 2025/26",
        "Introduce a daily safety huddle | Clinical Director, Obstetrics | From 1 July 2025",
        "Total | £38,620,000 | -",
        "Rating | Good | Safe",
        # a risk register's row: a noun, not an imperative, whoever owns the risk
        "R3 | Increase in waiting times for assessment | Head of Adult Social Care | 12",
    ]
    owned = owned_rows(rows, SETTINGS)
    assert owned == [True, True, False, False, True]
    recruit, huddle, risk = classify_texts([rows[0], rows[1], rows[4]], owned=[True] * 3)
    assert [recruit.force, huddle.force, risk.force] == [
        Force.EXPECTATION,
        Force.EXPECTATION,
        Force.NONE,
    ]
    assert (recruit.cue.text, huddle.cue.text) == ("Recruit", "Introduce")


@pytest.mark.slow
def test_you_is_the_audience_the_document_addresses() -> None:
    document = "What ICS guidance means for your Healthwatch. You should meet the ICB."
    assert holder_of("You should meet the ICB.", "should", document=document) == (
        "local Healthwatch"
    )
    # a thing the reader owns: "your policy should cover" is the reader's to see to
    assert holder_of("Your policy should cover staff training.", "should", document=document) == (
        "local Healthwatch"
    )


def test_a_subtitle_under_the_title_says_whom_the_page_is_for() -> None:
    from docmine.link import find_audience

    text = (
        "Regulation 12: Safe care and treatment\nGuidance for adult social care providers\n"
        "This page explains what the regulation means.\nYou must assess the risks."
    )
    assert find_audience(text, GAZETTEER, {}, "Regulation 12: Safe care and treatment") == (
        "social care provider"
    )
    # a sentence is no subtitle
    text = "Regulation 12\nThere is guidance for adult social care providers elsewhere.\n"
    assert find_audience(text, GAZETTEER, {}, "Regulation 12") == ""
    # but a page's summary that opens with what it is says whom it is for, by a body or by the
    # service its readers run
    text = "Outbreaks\nGuidance for care home managers and staff on managing outbreaks.\n"
    assert find_audience(text, GAZETTEER, {}, "Outbreaks") == "social care provider"


def test_what_the_reader_runs_says_who_they_are_before_a_body_they_deal_with() -> None:
    from docmine.link import find_audience

    text = (
        "Outbreaks\nTell your local authority commissioners about an outbreak.\n"
        "Isolate residents in your care home.\nYou must keep records."
    )
    assert find_audience(text, GAZETTEER, {}, "Outbreaks") == "social care provider"
    text = "Budgets\nTell your local authority about it.\nYou must keep records."
    assert find_audience(text, GAZETTEER, {}, "Budgets") == "local authority"


@pytest.mark.slow
def test_the_board_refers_back_to_the_board_the_document_names() -> None:
    document = "To update the Community Wellbeing Board (CWB). The Board is requested to: note"
    text = "The Board is requested to: note the progress on ICSs so far"
    assert holder_of(text, "is requested to", document=document) == ("Local Government Association")


@pytest.mark.slow
def test_the_authority_refers_back_to_a_body_the_document_names_in_the_plural() -> None:
    document = "Guidance for local authorities on their budgets. The authority must publish it."
    found = find_bodies("The authority must publish it.", GAZETTEER, {}, None, None)
    assert found == []  # no document: "the authority" alone names no body
    links = link_clause(
        "The authority must publish it.",
        ForceDecision(Force.MANDATORY, cue=Span("must")),
        make_context(document, SETTINGS),
    )
    assert links.holder == "local authority"


def test_duty_is_linked_for_instructions_and_for_duties_named_in_law() -> None:
    assert find_duty("ICPs must prepare an integrated care strategy.", DUTIES) is not None
    described = "Stakeholders discussed the establishment of ICPs."
    assert find_duty(described, DUTIES, instruction=False) is None
    named = "The Bill's proposed duty on ICBs to form integrated care partnerships"
    link = find_duty(named, DUTIES, instruction=False)
    assert link is not None and link.id == "establish-icp"
    assert link.law.startswith("Local Government and Public Involvement in Health Act 2007")


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        # the law's own verbs beside "prepare": keep under review, contribute to, make available
        (
            "ICPs must keep their integrated care strategy under review.",
            "prepare-integrated-care-strategy",
        ),
        (
            "Trusts are to contribute to the joint strategic needs assessment.",
            "joint-strategic-needs-assessment",
        ),
        ("Councils should make the JSNA available to the ICP.", "joint-strategic-needs-assessment"),
        (
            "HWBs should review the joint local health and wellbeing strategy.",
            "joint-local-health-and-wellbeing-strategy",
        ),
    ],
)
def test_a_duty_is_stated_by_the_verbs_the_law_gives_it(text: str, duty: str) -> None:
    link = find_duty(text, DUTIES)
    assert link is not None and link.id == duty


def test_the_strategy_refers_back_to_the_last_strategy_duty() -> None:
    link = find_duty("The strategy must detail how needs will be met.", DUTIES, True, [])
    assert link is not None and link.id == "prepare-integrated-care-strategy"
    recent = ["joint-local-health-and-wellbeing-strategy"]
    link = find_duty("The strategy must detail how needs will be met.", DUTIES, True, recent)
    assert link is not None and link.id == "joint-local-health-and-wellbeing-strategy"


@pytest.mark.slow
def test_duty_and_deadline_are_linked() -> None:
    links = link_clause(
        "ICPs must prepare an integrated care strategy by December 2022.",
        ForceDecision(Force.MANDATORY, cue=Span("must")),
        make_context("", SETTINGS),
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
    # "by end of Q2" is due on the quarter's last day, not at any time in it
    quarter = find_deadline("by end of Q2", default_year=2021)
    assert quarter is not None and (quarter.start, quarter.end) == ("2021-09-30", "2021-09-30")
    in_quarter = find_deadline("Systems must do this in Q2 2021.")
    assert in_quarter is not None and (in_quarter.start, in_quarter.end) == (
        "2021-07-01",
        "2021-09-30",
    )
    year_end = find_deadline("ICBs must publish it by the end of 2027.")
    assert year_end is not None and (year_end.start, year_end.end) == ("2027-12-31", "2027-12-31")
    # the start of a financial year is its first day, and the deadline says all of it
    year_start = find_deadline(
        "ICPs must refresh it before the start of the 2029/30 financial year."
    )
    assert year_start is not None and (year_start.text, year_start.relation, year_start.start) == (
        "before the start of the 2029/30 financial year",
        "before",
        "2029-04-01",
    )
    assert year_start.end == "2029-04-01"
    # the start of a period in the year is not the year's start
    winter = find_deadline("Plans are due before the start of the 2029/30 winter.")
    assert winter is not None and winter.start != winter.end
    ranged = find_deadline("Funding runs from 1 April 2027 to 31 March 2028.")
    assert ranged is not None and (ranged.start, ranged.end) == ("2027-04-01", "2028-03-31")
    # a length of time before an event is no notice period; a date keeps its normalisation
    assert (
        find_deadline(
            "Applicants must have lived in England for at least 6 months before applying."
        )
        is None
    )
    dated = find_deadline("You must notify us at least 28 days before 31 March 2027.")
    assert dated is not None and (dated.start, dated.end) == ("2027-03-31", "2027-03-31")
    month = find_deadline("ICBs must report by July.", default_year=2022)
    assert month is not None and (month.text, month.start) == ("by July", "2022-07-01")
    half = find_deadline("Providers must do this in H2.", default_year=2025)
    assert half is not None and (half.start, half.end) == ("2025-10-01", "2026-03-31")
    first = find_deadline("Systems must deliver by the end of H1 2026/27.")
    assert first is not None and (first.start, first.end) == ("2026-09-30", "2026-09-30")
    assert find_deadline("Staff should be vaccinated against H1N1 influenza.", 2025) is None


def test_deadlines_keep_the_words_gold_records() -> None:
    def text_of(clause: str) -> str:
        found = find_deadline(clause)
        return found.text if found else ""

    assert text_of("During the establishment phase, ICPs should learn.") == (
        "During the establishment phase"
    )
    assert text_of("December 2022 Each ICP to publish a strategy before April 2023.") == (
        "December 2022"
    )
    assert text_of("Systems should agree plans from April 2021: By September 2021: plans") == (
        "By September 2021"
    )
    assert text_of("They must use section 75 of the NHS Act 2006.") == ""
    assert text_of("The Design Framework (June 2021) sets out what ICSs should do.") == ""


@pytest.mark.parametrize(
    ("clause", "text", "relation"),
    [
        (
            "The notification must be provided within 7 days beginning with the day on which "
            "the agent is identified.",
            "within 7 days beginning with the day on which the agent is identified",
            "by",
        ),
        (
            "Before the end of each review period the Lord Chancellor must review each code.",
            "Before the end of each review period",
            "before",
        ),
        (
            "Boards must publish a statement after the end of the financial year to declare "
            "whether they met the standard in 2023/24.",
            "after the end of the financial year",
            "from",
        ),
        (
            "The operator must notify as soon as reasonably practicable.",
            "as soon as reasonably practicable",
            "by",
        ),
        (
            "It must be given as soon as practicable after the patient's detention begins.",
            "as soon as practicable after the patient's detention begins",
            "by",
        ),
        (
            "Councils must submit their report by 11:59pm on 20 May 2026.",
            "by 11:59pm on 20 May 2026",
            "by",
        ),
    ],
)
def test_deadlines_anchored_in_the_text_are_kept_as_written(
    clause: str, text: str, relation: str
) -> None:
    found = find_deadline(clause)
    assert found is not None and (found.text, found.relation) == (text, relation)


@pytest.mark.parametrize(
    ("clause", "period", "anchor"),
    [
        ("Notify us within 28 days of the date of death.", "P28D", "the date of death"),
        (
            "Reply no later than six weeks after receiving the request.",
            "P6W",
            "receiving the request",
        ),
        ("Respond within twenty-eight days of the order.", "P28D", "the order"),
        (
            "Decide within one month of receipt of the application.",
            "P1M",
            "receipt of the application",
        ),
        # working days are no calendar duration: the text keeps them
        ("Reply within 10 working days of the complaint.", "", "the complaint"),
        ("Reply within 5 Operational Days of the notice.", "", "the notice"),
        (
            "ICBs must publish a plan before the start of each financial year.",
            "",
            "the start of each financial year",
        ),
        ("Records must be kept for up to 12 months.", "P12M", ""),
        (
            "Tell them as soon as practicable after the detention begins.",
            "",
            "the detention begins",
        ),
        ("Respond within thirty-one days of the complaint.", "P31D", "the complaint"),
        ("Keep it under review within seventy days of the order.", "P70D", "the order"),
        ("Reply within 28 calendar days of the request.", "P28D", "the request"),
        # a period inside the anchor is the anchor's
        (
            "Providers must report before the end of the 12 month period.",
            "",
            "the end of the 12 month period",
        ),
        # the anchor ends where the next clause begins; "or" and a relative clause stay in it
        (
            "Review it within 12 months of implementation and report back to the board.",
            "P12M",
            "implementation",
        ),
        ("Notify within 7 days of admission or re-admission.", "P7D", "admission or re-admission"),
        (
            "Act within 7 days beginning with the day on which the agent is identified.",
            "P7D",
            "the day on which the agent is identified",
        ),
        # hours run from an event; a bare "within two hours" is a standard of service
        (
            "Report a serious breach within 72 hours of becoming aware of it.",
            "PT72H",
            "becoming aware of it",
        ),
        ("Respond within 28 calendar days of the request.", "P28D", "the request"),
        # the anchor ends where the channel or a rule the act follows begins, not at a gerund
        (
            "Notify us within 28 days of their departure via the online notification form.",
            "P28D",
            "their departure",
        ),
        (
            "Review it within 28 days of a person first using the service.",
            "P28D",
            "a person first using the service",
        ),
        # a notice period before an event
        (
            "You should send the notification at least 28 days before it starts.",
            "P28D",
            "it starts",
        ),
        ("Notice must be given not less than 14 days before the meeting.", "P14D", "the meeting"),
        (
            "Papers must be circulated no later than five working days before the meeting.",
            "",
            "the meeting",
        ),
        (
            "Trusts must notify the council at least 48 hours before the planned discharge date.",
            "PT48H",
            "the planned discharge date",
        ),
        # a deadline the text does not anchor has no parts
        ("Plans must be reviewed every 3 years.", "", ""),
    ],
)
def test_a_deadline_the_text_anchors_has_its_period_and_anchor(
    clause: str, period: str, anchor: str
) -> None:
    found = find_deadline(clause)
    assert found is not None and (found.period, found.anchor) == (period, anchor)
    assert not found.start  # no calendar date: nothing is made up


def test_a_date_in_figures_is_read_day_first() -> None:
    found = find_deadline("Submit the return by 31/03/2025.")
    assert found is not None and (found.text, found.start) == ("by 31/03/2025", "2025-03-31")
    found = find_deadline("Return the form by 31.03.2025.")
    assert found is not None and found.start == "2025-03-31"


def test_a_baseline_year_is_no_deadline_and_a_contract_year_comes_round() -> None:
    assert (
        find_deadline("Trusts will need to cut agency spend by 30% against 2024/25 levels.") is None
    )
    found = find_deadline(
        "The Provider must send it to the Commissioner by 30 April each Contract Year."
    )
    assert found is not None and found.text == "by 30 April each Contract Year"


def test_a_date_that_comes_round_each_year_is_no_one_date() -> None:
    found = find_deadline("Report to the board before 30 September each year.", 2024)
    assert found is not None and found.text == "before 30 September each year"
    assert not found.start
    found = find_deadline("Report to the board before 30 September.", 2024)
    assert found is not None and found.start == "2024-09-30"
    # a document that names no year still has a deadline that comes round every year
    found = find_deadline("ICBs must publish the report by 30 June each year.")
    assert found is not None and (found.text, found.start) == ("by 30 June each year", "")
    # a year the text sets elsewhere is not made up
    found = find_deadline("Pay before 31 January in the relevant financial year.", 2026)
    assert found is not None and found.text == "before 31 January in the relevant financial year"
    assert not found.start


def test_no_later_than_a_date_is_a_deadline_not_a_comparison() -> None:
    found = find_deadline("Trusts must submit the return no later than 30 April 2026.")
    assert found is not None and (found.relation, found.start) == ("by", "2026-04-30")
    assert find_deadline("Waits were longer than in 2024/25.") is None


def test_urgency_is_not_a_deadline() -> None:
    # a deadline is a date or period (ANNOTATION.md); "as soon as possible" names neither (the
    # statutory "as soon as reasonably practicable" is a time limit: above)
    assert find_deadline("You must tell us as soon as possible.") is None
    assert find_deadline("Councils should conduct checks as soon as practicable.") is None


@pytest.mark.parametrize(
    ("clause", "text"),
    [
        ("Councils must sign up by: 31 August - for wave 1", "31 August"),  # a list of dates
        ("Councils must sign up by 31 August.", "by 31 August"),
        ("For 2023/24, the MHIS requires ICBs to increase spend.", "For 2023/24"),
        ("Checks must be done in advance of move-on unless it happened.", "in advance of move-on"),
        (
            "Checks should be completed prior to the arrival of guests.",
            "prior to the arrival of guests",
        ),
        ("Commissioners should plan for the coming winter.", "for the coming winter"),
        ("They must appoint someone over this period.", "over this period"),
        (
            "Plans should be agreed no later than the second meeting of the new joint committee.",
            "no later than the second meeting of the new joint committee",
        ),
        (
            "Trusts must keep submitting data up to the end of June 2026.",
            "up to the end of June 2026",
        ),
        # a year a comparison is made against is a baseline: the deadline is the fronted one
        ("By the year-end we expect ICBs to cut waits compared to 2024/25.", "By the year-end"),
        ("ICBs should hold spending flat in H2 to meet their 2025/26 plans.", "in H2"),
    ],
)
def test_dates_without_a_year_fronted_periods_and_events_are_deadlines(
    clause: str, text: str
) -> None:
    found = find_deadline(clause, default_year=2024)
    assert found is not None and found.text == text


def test_a_year_for_something_inside_a_sentence_is_a_date_not_a_period() -> None:
    found = find_deadline("The plan for 2023/24 must be published.", default_year=2024)
    assert found is not None and found.text == "2023/24"


def test_a_year_naming_an_act_is_not_a_deadline() -> None:
    assert find_deadline("Regulations made under the 2006 Act must be followed.") is None


def test_a_body_name_inside_a_law_or_another_department_names_no_body() -> None:
    assert bodies("under section 102 of the Local Government Act 1972") == []
    assert bodies("the Local Authority (Public Health) Regulations 2013 apply") == []
    assert bodies("section 116B of the Local Government and Public Involvement in Health Act") == []
    # a body before "and the Act" is named: the law's title is capitalised words throughout
    assert bodies("ICBs and the Act require it") == ["integrated care board"]
    assert bodies("the Department for Education and the local authority") == ["local authority"]
    assert bodies("Ministry of Housing, Communities and Local Government") == []
    # the trap takes the department's own name, not the bodies after it
    assert bodies("The Department for Education and NHS England must agree") == ["NHS England"]
    assert bodies("The Minister wrote to NHS England and Local Government leaders") == [
        "NHS England",
        "local authority",
    ]


@pytest.mark.slow
def test_a_system_of_some_kind_is_not_an_integrated_care_system() -> None:
    from docmine.language.nlp import parse_texts

    def parsed(text: str) -> list[str]:
        doc = parse_texts([text], SETTINGS.spacy_model)[0]
        return [m.canonical for m in find_bodies(text, GAZETTEER, None, doc)]

    assert parsed("It advises on a records management system for each trust.") == []
    assert parsed("Providers must have auditing systems and processes in place.") == []
    assert parsed("Partners work within a system to plan care.") == ["integrated care system"]
    # a system's quality or kind makes it a way of working
    assert parsed("We expect you to have effective systems to identify abuse.") == []
    assert parsed("Trusts must keep their IT systems secure.") == ["NHS provider"]
    assert parsed("Do not close the record on the clinical system until the ICB agrees.") == [
        "integrated care board"
    ]


@pytest.mark.slow
def test_systems_are_integrated_care_systems_only_in_a_document_that_names_them() -> None:
    clause = "Trusts must review these systems with the local authority."
    decision = ForceDecision(Force.MANDATORY, cue=Span("must"))

    def bodies_in(document: str) -> list[str]:
        links = link_clause(clause, decision, make_context(document, SETTINGS))
        return sorted(m.canonical for m in links.bodies)

    about_ics = "Each integrated care system (ICS) plans care. " + clause
    about_records = "Records are kept in electronic systems. " + clause
    assert "integrated care system" in bodies_in(about_ics)
    assert bodies_in(about_records) == ["NHS provider", "local authority"]
    # an ICB is part of an ICS: a document about ICBs that says "systems" means ICSs
    about_icbs = "Each integrated care board (ICB) plans care. " + clause
    assert "integrated care system" in bodies_in(about_icbs)
    # as the holder, "systems" names ICSs in any document (DECISIONS.md C.23)
    assert holder_of("Systems should agree a plan.", "should", document="A page.") == (
        "integrated care system"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the councils the law lists as local authorities beside the county and district ones
        ("the Council of the Isles of Scilly", ["local authority"]),
        ("the Common Council of the City of London", ["local authority"]),
        ("the Council of Europe", []),
        ("Council of\nthe Isles of Scilly", ["local authority"]),
        # the sector's longer name, in the singular too (the commas are part of the name)
        ("Voluntary, Community, Faith and Social Enterprise organisations", ["VCSE sector"]),
        (
            "partnership working with a voluntary, community and social enterprise organisation",
            ["VCSE sector"],
        ),
        ("the VCFSE sector", ["VCSE sector"]),
    ],
)
def test_names_of_local_authorities_and_the_voluntary_sector(
    text: str, expected: list[str]
) -> None:
    # the whole name is one mention, not a generic word inside it ("Council", "voluntary")
    found = [(m.canonical, m.text) for m in find_bodies(text, GAZETTEER)]
    name = text.removeprefix("partnership working with a ").removeprefix("the ")
    name = name.removesuffix(" sector") if name.startswith("VCFSE") else name
    assert found == [(canonical, name) for canonical in expected]


def test_voluntary_after_a_copula_is_a_predicate_not_the_sector() -> None:
    for text in ["Until now the collection has been voluntary.", "Participation is voluntary."]:
        assert find_bodies(text, GAZETTEER) == []
    found = find_bodies("Bring together voluntary and statutory partners.", GAZETTEER)
    assert [m.canonical for m in found] == ["VCSE sector"]


def test_a_bare_plural_subject_names_the_one_body_whose_name_ends_with_it() -> None:
    document = "Health and wellbeing boards must prepare a strategy. Boards should review it."
    context = make_context(document, SETTINGS)
    found = find_bodies(
        "Boards should review it.", context.gazetteer, context.acronyms, None,
        context.back_references,
    )  # fmt: skip
    assert [m.canonical for m in found] == ["health and wellbeing board"]
    # two bodies' names end with "boards": the bare plural names neither
    document = (
        "Integrated care boards and health and wellbeing boards must agree it. "
        "Boards should review it."
    )
    context = make_context(document, SETTINGS)
    found = find_bodies(
        "Boards should review it.", context.gazetteer, context.acronyms, None,
        context.back_references,
    )  # fmt: skip
    assert found == []


def test_the_commission_refers_back_to_the_body_the_document_named() -> None:
    document = "The Care Quality Commission inspects providers. The Commission publishes ratings."
    context = make_context(document, SETTINGS)
    found = find_bodies(
        "The Commission publishes ratings.",
        context.gazetteer,
        context.acronyms,
        None,
        context.back_references,
    )
    assert [m.canonical for m in found] == ["Care Quality Commission"]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # regulations made under the Health and Social Care Act 2008 never expand it
        ("12. The registered person must give the Commission a statement of purpose.", ["CQC"]),
        ("The Commission must give a statement of purpose.", ["CQC"]),
        # a document that names another commission keeps its own reading
        ("The Law Commission reported. Then the Commission must give a statement.", []),
        ("The Commission for Social Care Inspection said the Commission must act.", []),
        # nor is a lower-case common noun a short name
        ("The commission of services must give a statement of purpose.", []),
        ("Notify the Commission. They must review the commission of services.", []),
    ],
)
def test_the_commission_unexpanded_is_the_care_quality_commission(
    document: str, expected: list[str]
) -> None:
    context = make_context(document, SETTINGS)
    text = document.split(". ")[-1]
    found = find_bodies(text, context.gazetteer, context.acronyms, None, context.back_references)
    names = {"Care Quality Commission": "CQC"}
    assert [names.get(m.canonical, m.canonical) for m in found] == expected


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # a body's own board, named after the title's "integrated care boards"
        (
            "# Delegation to integrated care boards (NHS England Board paper)\n"
            "The paper asks the Board to agree plans.",
            ["NHS England"],
        ),
        ("The LGA Board met. The Board is asked to note the update.", ["LGA"]),
        # "Board" that is part of another name is not that body's board
        ("Each Health and Wellbeing Board plans. The Board must publish it.", ["HWB"]),
        # health law's unexpanded "the Board" is the NHS Commissioning Board (NHS England)
        (
            "Section 14Z2 of the NHS Act 2006 applies. The consent of the Board may not be "
            "withheld.",
            ["NHS England"],
        ),
        ("NHS England's board met. The consent of the Board may not be withheld.", ["NHS England"]),
        # standing orders that name no body and cite no law: their own board, not ours
        ("# Standing orders\n5.1 The Board shall meet in public six times a year.", []),
        # unless the document names another board, even in the plural, a trust (its papers'
        # "the Board" is its own), or it is a lower-case common noun
        ("The Trust Board met. The Board must approve the plan.", ["NHS provider"]),
        ("The Programme Board met. The Board must approve the plan.", []),
        ("Safeguarding Adults Boards are set up by councils. The Board must publish it.", []),
        ("Leeds NHS Foundation Trust annual report. The Board must approve the plan.", []),
        # a body's boards in the plural, and a lower-case "board" that is not a name's part
        ("ICB Boards must meet in public. The Board must approve the plan.", ["ICB"]),
        (
            "The Health and Wellbeing Board met. The place partnership board met. "
            "The Board must approve the plan.",
            ["HWB"],
        ),
        ("Councils board the bus. The board must approve the plan.", []),
    ],
)
def test_the_board_is_the_board_the_document_names_or_nhs_england(
    document: str, expected: list[str]
) -> None:
    context = make_context(document, SETTINGS)
    text = document.split(". ")[-1].splitlines()[-1]
    found = find_bodies(text, context.gazetteer, context.acronyms, None, context.back_references)
    names = {
        "Local Government Association": "LGA",
        "health and wellbeing board": "HWB",
        "integrated care board": "ICB",
    }
    assert [names.get(m.canonical, m.canonical) for m in found] == expected


def test_a_named_duty_links_only_to_a_clause_about_one_of_its_holders() -> None:
    text = "Local authorities must have regard to this guidance."
    assert find_duty(text, DUTIES, True, [], "local authority", ["local authority"]) is None
    icb = "ICBs must have regard to this guidance."
    found = find_duty(icb, DUTIES, True, [], "integrated care board", [])
    assert found is not None and found.id == "have-regard-to-mandate-and-guidance"
    # no holder and no body named: not gated; and without a holder given, as before
    assert find_duty("must have regard to this guidance", DUTIES, True, [], "", []) is not None
    assert find_duty(text, DUTIES) is not None


def test_the_first_duty_named_that_the_holder_can_hold_is_linked() -> None:
    # "have regard to ... an integrated care strategy" is named first, but it is not an ICP's
    text = (
        "ICPs must have regard to this guidance when preparing or revising an integrated care "
        "strategy."
    )
    icp = "integrated care partnership"
    found = find_duty(text, DUTIES, True, [], icp, [icp])
    assert found is not None and found.id == "have-regard-to-mandate-and-guidance"
    # NHS Act s.82: local authorities and NHS bodies co-operate
    cooperate = "Each local authority must co-operate with an integrated care board."
    found = find_duty(cooperate, DUTIES, True, [], "local authority", ["local authority"])
    assert found is not None and found.id == "duty-to-cooperate"


def test_a_year_ending_a_title_the_sentence_quotes_is_no_deadline() -> None:
    text = "Working Together to Safeguard Children 2023 requires the partners to publish a plan."
    assert find_deadline(text) is None
    assert find_deadline("ICBs must publish plans in 2026.") is not None


def test_a_duty_whose_product_is_the_subject_is_not_gated_by_the_bodies_that_receive_it() -> None:
    # no holder found and the strategy is the subject: the bodies named receive it
    for text in (
        "The integrated care strategy must be published and shared with each responsible local "
        "authority, and the relevant integrated care board in that area.",
        "The legislation will require the integrated care strategy to set out how the needs "
        "assessed for the ICB area are to be met by local authorities.",
    ):
        bodies = ["local authority", "integrated care board"]
        found = find_duty(text, DUTIES, True, [], "", bodies)
        assert found is not None and found.id == "prepare-integrated-care-strategy", text
        # a holder found that does not hold the duty still gates it
        assert find_duty(text, DUTIES, True, [], "local authority", bodies) is None, text
    # the verb first: the body named is the one acting, and it holds no such duty
    text = "DHSC does not intend to produce detailed guidance on every integrated care strategy."
    found = find_duty(text, DUTIES, True, [], "", ["Department of Health and Social Care"])
    assert found is None


def test_a_verb_of_creation_makes_its_nearest_product_and_the_first_named_duty_is_linked() -> None:
    # "draw up" makes the plan, not the strategy the plan is in line with
    text = "The ICB should draw up a joint forward plan in line with the integrated care strategy."
    found = find_duty(text, DUTIES, True, [], "integrated care board", [])
    assert found is not None and found.id == "joint-forward-plan"
    # the first duty named is the clause's (DECISIONS.md A.7): when its holder is not among the
    # clause's bodies, no later duty the clause mentions takes its place
    text = (
        "Local authorities must help prepare the integrated care strategy, drawing on the JSNA "
        "that they develop."
    )
    assert find_duty(text, DUTIES, True, [], "local authority", ["local authority"]) is None
    # a verb before the product is no product-subject: its bodies still gate it
    text = "Partners should develop plans to deliver the integrated care strategy with councils."
    assert find_duty(text, DUTIES, True, [], "", ["local authority", "NHS provider"]) is None


def test_verbs_of_creation_make_the_strategies_and_assessments_as_they_make_boards() -> None:
    for text, duty in (
        (
            "They are responsible for establishing integrated care strategies for their area.",
            "prepare-integrated-care-strategy",
        ),
        (
            "The board must draw up a joint local health and wellbeing strategy.",
            "joint-local-health-and-wellbeing-strategy",
        ),
        ("Councils create the JSNA with their partners.", "joint-strategic-needs-assessment"),
    ):
        found = find_duty(text, DUTIES)
        assert found is not None and found.id == duty, text


def test_a_document_is_under_other_law_only_where_it_cites_other_acts_more_than_once() -> None:
    from docmine.link.duties import document_under_other_law

    # NHS guidance with one footnote to the Care Act at its end is still NHS guidance
    body = "ICBs should consider the triple aim when they plan services. " * 40
    footnote = body + "See the Care Act 2014 statutory guidance, chapter 14."
    assert not document_under_other_law(footnote, DUTIES)
    # an Act cited in the opening, or cited again as "the 2015 Act", is the document's
    prevent = body + "This guidance is issued under the CTSA 2015. The 2015 Act applies to trusts."
    assert document_under_other_law(prevent, DUTIES)
    assert document_under_other_law("Section 10 of the Children Act 2004 applies. " + body, DUTIES)


def test_a_duty_under_an_act_that_holds_none_of_the_duties_is_another_duty() -> None:
    # the Counter-Terrorism and Security Act's cooperation duty and its guidance are not the NHS
    # Act's: a clause citing only other Acts links none of duties.yaml, even by name
    for text in (
        "Section 38 CTSA 2015 sets out the duty of cooperation for partners of panels.",
        "Partners must have regard to guidance issued under the Counter-Terrorism and "
        "Security Act 2015.",
        "Under the Care Act 2014 councils must co-operate with one another.",
        "Part I of the Local Government Act 1988 requires them to co-operate with one another.",
    ):
        assert find_duty(text, DUTIES) is None, text
    # an Act the duties are in, or one that amended them, keeps the duty; so does no Act at all
    for text, duty in (
        ("Section 38 of the NHS Act 2006 sets out the duty to cooperate.", "duty-to-cooperate"),
        (
            "The Health and Care Act 2022 requires each ICP to prepare an integrated care "
            "strategy.",
            "prepare-integrated-care-strategy",
        ),
        ("Partners must co-operate with one another.", "duty-to-cooperate"),
        # a word opening the sentence is not the Act's ("Under the NHS Act"), nor one before it
        ("Under the NHS Act 2006, ICBs must co-operate with one another.", "duty-to-cooperate"),
        (
            "Following the Health and Care Act 2022, ICPs must prepare an integrated care "
            "strategy.",
            "prepare-integrated-care-strategy",
        ),
        # initials and words mixed, title case, two Acts named together, "The Act" unnamed
        (
            "Under the HSC Act 2012, councils must establish a health and wellbeing board.",
            "establish-hwb",
        ),
        (
            "The Health And Care Act 2022 requires each ICP to prepare an integrated care "
            "strategy.",
            "prepare-integrated-care-strategy",
        ),
        (
            "The NHS Act and the Health and Care Act 2022 require ICBs to prepare a joint forward "
            "plan.",
            "joint-forward-plan",
        ),
        (
            "ICBs must co-operate with one another under the NHS Act 2006 and the Care Act 2014.",
            "duty-to-cooperate",
        ),
        ("The Act 2006 requires partners to co-operate with one another.", "duty-to-cooperate"),
        ("NHS DATA 2024: ICBs must prepare a joint forward plan.", "joint-forward-plan"),
    ):
        found = find_duty(text, DUTIES)
        assert found is not None and found.id == duty, text


def test_a_document_under_an_act_that_holds_none_of_the_duties_states_another_duty() -> None:
    # guidance on the Children Act 2004: its "duty to co-operate" is that Act's, in every clause
    clause = "A duty to co-operate with the local authority is placed on the relevant partners."
    decision = ForceDecision(Force.MANDATORY, cue=Span("is placed on"))

    def duty_in(document: str, title: str = "") -> str:
        context = make_context(document, SETTINGS, title=title)
        links = link_clause(clause, decision, context)
        return links.duty.id if links.duty else ""

    children = "Section 10 of the Children Act 2004 sets out arrangements to co-operate. " + clause
    assert duty_in(children) == ""
    assert duty_in(clause, title="Children Act 2004: explanatory notes") == ""
    # the same clause in a document citing an Act the duties are in, or citing none, keeps it
    nhs = "Section 72 of the NHS Act 2006 applies. " + clause
    assert duty_in(nhs) == "duty-to-cooperate"
    assert duty_in(clause) == "duty-to-cooperate"
    both = "The Children Act 2004 and the Health and Care Act 2022 apply. " + clause
    assert duty_in(both) == "duty-to-cooperate"
    # the Acts every public body works under do not make a document another statute's
    equality = "Trusts must meet the Equality Act 2010 and FOIA 2000. " + clause
    assert duty_in(equality) == "duty-to-cooperate"


def test_a_clause_naming_two_duties_links_the_first_named() -> None:
    # DECISIONS.md A.7: the first duty named, whether called by its name or stated by a phrase
    text = (
        "ICBs must explain how they discharged their duties, including duties to reduce "
        "inequalities and the triple aim."
    )
    found = find_duty(text, DUTIES)
    assert found is not None and found.id == "reduce-inequalities"
    text = "ICBs must meet the triple aim and have regard to the need to reduce inequalities."
    found = find_duty(text, DUTIES)
    assert found is not None and found.id == "triple-aim"


def test_a_duty_named_through_its_section_or_have_regard_to_a_framework() -> None:
    # "duties under section N as to X" names the duty as "duties as to X" does
    for text, duty in (
        (
            "The report must assess how it discharged its duties under section 13Q as to "
            "public involvement and consultation.",
            "public-involvement",
        ),
        ("It has a duty under section 82 to co-operate with councils.", "duty-to-cooperate"),
        ("ICBs have duties as to reducing inequalities.", "reduce-inequalities"),
        (
            "Each ICB must have regard to the national framework.",
            "have-regard-to-mandate-and-guidance",
        ),
    ):
        found = find_duty(text, DUTIES)
        assert found is not None and found.id == duty, text
    # "with regard to" / "in regard to" is a topic, not the duty
    for text in (
        "With regard to the financial framework, ICBs must agree their budgets.",
        "In regard to the guidance, the ICB must submit its plan by March.",
    ):
        assert find_duty(text, DUTIES) is None, text
    # a framework that a local authority has regard to is not the ICB's duty
    text = "Local authorities must have regard to the national framework."
    assert find_duty(text, DUTIES, True, [], "local authority", []) is None


def test_a_broken_bodies_file_is_one_line_and_a_changed_one_is_read_again(tmp_path) -> None:
    from docmine.config import InvalidSetting, read_data

    broken = tmp_path / "bodies.yaml"
    broken.write_text("Office for X: [OX\n", encoding="utf-8")
    with pytest.raises(InvalidSetting) as error:
        load_gazetteer([broken])
    assert "\n" not in str(error.value) and str(broken) in str(error.value)
    broken.write_text("Office for X: [OX, the Office for X]\n", encoding="utf-8")
    assert read_data(broken) == {"Office for X": ["OX", "the Office for X"]}
    assert "Office for X" in load_gazetteer([SETTINGS.bodies, broken]).canonical_names


def test_a_duty_called_by_its_name_links_whatever_the_clause_and_its_bodies() -> None:
    # a description naming another body: the topic patterns are gated, the duty's name is not
    text = "The Confederation supports the duty to collaborate and the triple aim."
    link = find_duty(text, DUTIES, False, [], "", ["NHS Confederation"])
    assert link is not None and link.id == "duty-to-cooperate"
    assert link.matched == "duty to collaborate"
    involvement = find_duty("It meets its public involvement legal duty.", DUTIES, False)
    assert involvement is not None and involvement.id == "public-involvement"
    # the duty's name in either order, with a word between ("health inequalities legal duties",
    # "their duties on health inequalities")
    for text in (
        "Trusts must meet the health inequalities legal duties.",
        "Boards should act to meet their legal duties on health inequalities.",
    ):
        named = find_duty(text, DUTIES, False)
        assert named is not None and named.id == "reduce-inequalities", text
    # quotation marks around the name do not hide it, and the matched text is as written
    quoted = find_duty(
        "It helps the board meet its ‘public involvement’ legal duty.", DUTIES, False
    )
    assert quoted is not None and quoted.id == "public-involvement"
    assert quoted.matched == "public involvement’ legal duty"
    # the topic alone in a description is still not a duty
    assert find_duty("Boards discussed how to involve carers.", DUTIES, False) is None


def test_a_users_bodies_file_extends_the_duty_patterns(tmp_path: Path) -> None:
    clause = "Each ICB and its local authorities must establish a JCP for their area."
    assert find_duty(clause, load_duties(SETTINGS.duties)) is None
    extra = tmp_path / "bodies.yaml"
    extra.write_text("integrated care partnership: [JCP]\n", encoding="utf-8")
    settings = load_settings(extra_bodies=extra)
    duty = find_duty(clause, load_duties(settings.duties, tuple(settings.bodies_files)))
    assert duty is not None and duty.id == "establish-icp" and duty.matched.endswith("JCP")
    context = make_context("", settings)  # linking reads the same extended patterns
    decision = ForceDecision(Force.MANDATORY, cue=Span("must"))
    assert link_clause(clause, decision, context).duty == duty


def test_a_body_in_a_duty_pattern_is_its_name_and_initials_not_every_alias() -> None:
    # "HCP" is an ICP alias in the gazetteer but mostly a healthcare professional
    duties = load_duties(SETTINGS.duties, tuple(SETTINGS.bodies_files))
    assert find_duty("Providers must create a register of HCPs in the service.", duties) is None
    found = find_duty("ICBs must establish ICPs with their local authorities.", duties)
    assert found is not None and found.id == "establish-icp"


def test_a_short_name_the_document_defines_in_brackets_names_its_body() -> None:
    text = (
        'This agreement is between Northfield County Council ("the Authority") and NHS '
        'Northfield Integrated Care Board (the "Board"). The Authority must provide the Board '
        "with data. The local authority and the authority of the court are words."
    )
    acronyms = learn_acronyms(text, GAZETTEER)
    assert acronyms["Authority"] == "local authority"
    assert acronyms["Board"] == "integrated care board"
    later = text.index("The Authority")
    assert [
        (m.canonical, m.text) for m in find_bodies(text, GAZETTEER, acronyms) if m.start >= later
    ][:2] == [("local authority", "Authority"), ("integrated care board", "Board")]
    # no body right before the brackets: no definition
    assert "Partners" not in learn_acronyms('The members (together "the Partners") met.', GAZETTEER)


def test_the_board_of_a_document_about_a_board_not_listed_is_none_of_ours() -> None:
    from docmine.link.bodies import learn_back_references

    text = "An integrated care board may attend. The board must publish its annual report."
    guide = "Safeguarding adults reviews: a practical guide for safeguarding adults boards"
    assert learn_back_references(text, GAZETTEER)["board"] == "integrated care board"
    assert not learn_back_references(text, GAZETTEER, guide)["board"]
    assert not [
        m for m in find_bodies(text, GAZETTEER, {}, None, {"board": ""}) if m.text == "The board"
    ]
    # a listed board in the title, or "board members", leaves "the board" as before
    for title in ("Guidance for health and wellbeing boards", "Code of conduct for board members"):
        assert learn_back_references(text, GAZETTEER, title)["board"] == "integrated care board"


@pytest.mark.slow
def test_a_body_that_receives_the_act_in_a_passive_is_not_its_holder() -> None:
    """ "The health and wellbeing board must be consulted": the board is consulted, another
    consults; it stays among the bodies."""
    ctx = make_context("", SETTINGS)
    text = "The health and wellbeing board must be consulted on each plan."
    links = link_clauses([text], [ForceDecision(Force.MANDATORY, cue=Span("must"))], ctx)
    assert links[0].holder != "health and wellbeing board"
    assert "health and wellbeing board" in [b.canonical for b in links[0].bodies]
    # an expectation verb's passive subject is still its holder
    asked = "ICBs are asked to publish a plan."
    links = link_clauses([asked], [ForceDecision(Force.EXPECTATION, cue=Span("asked"))], ctx)
    assert links[0].holder == "integrated care board"


@pytest.mark.slow
def test_a_council_named_by_its_place_holds_what_it_must_do() -> None:
    ctx = make_context("", SETTINGS)
    text = "Cornwall Council must publish its market sustainability plan by 1 June 2026."
    links = link_clauses([text], [ForceDecision(Force.MANDATORY, cue=Span("must"))], ctx)
    assert links[0].holder == "local authority"


def test_ordinal_days_and_dates_a_document_was_issued_on() -> None:
    found = find_deadline("Boards must publish their plan before 1st October 2026.")
    assert found is not None and (found.text, found.start) == (
        "before 1st October 2026",
        "2026-10-01",
    )
    # the date guidance was published on is no deadline; the action's date is
    found = find_deadline(
        "Guidance published in December 2025 asks ICBs to publish their plans by 30 June 2026."
    )
    assert found is not None and found.start == "2026-06-30"


def test_review_fixes_for_dates_owners_and_short_names() -> None:
    from docmine.link.holder import owner_cell

    # a modal passive's date is a deadline; the date guidance was published on is not
    found = find_deadline("The annual report must be published on 30 June 2026.")
    assert found is not None and found.start == "2026-06-30"
    found = find_deadline("Submit it not later than 30 April 2026.")
    assert found is not None and (found.relation, found.start) == ("by", "2026-04-30")
    # an anchor keeps a name with "and" in it
    found = find_deadline(
        "Review it within 6 months of the Health and Care Act 2022 coming into force."
    )
    assert found is not None and found.anchor == "the Health and Care Act 2022 coming into force"
    # an action that names its own holder with a modal has no owner column
    row = "ICBs must publish their joint forward plan | Health and wellbeing boards | 31 March 2026"
    assert owner_cell(row, find_bodies(row, GAZETTEER)) is None
    # a lead-in's modal joined before the row is not the action's
    lead = "Each party must deliver the functions named in the table below: "
    row = lead + "Publish a joint pathway | ICB | 30 June 2026"
    found = owner_cell(row, find_bodies(row, GAZETTEER))
    assert found is not None and found.canonical == "integrated care board"
    # a proper name's words before the body's leave the cell no owner column (a table's
    # "Partners" cell, "Northshire Healthwatch", is not its "Lead")
    row = lead + "Agree a protocol | Northshire Healthwatch | ICB | 2026"
    found = owner_cell(row, find_bodies(row, GAZETTEER))
    assert found is not None and found.canonical == "integrated care board"
    row = "Support NHS trusts with discharge | 30 June 2026"
    assert owner_cell(row, find_bodies(row, GAZETTEER)) is None
    # a lead-in that names who acts keeps it: the column names an officer
    row = (
        "Each local authority must submit the following returns by the dates shown: Statement "
        "of grant usage | 30 September 2027 | Director of public health"
    )
    assert owner_cell(row, find_bodies(row, GAZETTEER)) is None
    # a short name for two bodies names neither
    text = 'Northfield County Council and NHS Northfield ICB (the "Partners") agree.'
    assert "Partners" not in learn_acronyms(text, GAZETTEER)
    # councils of people or of a parish are not local authorities
    assert bodies("The Patient Council, the Youth Council and Harlow Town Council") == []


def test_an_event_with_a_date_of_its_own_is_a_deadline_as_written() -> None:
    for text, written in (
        (
            "A notice must be given before the proposed discharge date.",
            "before the proposed discharge date",
        ),
        (
            "Papers must go out at least 5 working days before each meeting.",
            "at least 5 working days before each meeting",
        ),
    ):
        found = find_deadline(text)
        assert found is not None and (found.text, found.start) == (written, "")
    assert find_deadline("The report must be laid before Parliament.") is None


def test_hours_without_an_event_and_days_before_a_meeting() -> None:
    assert find_deadline("Crisis response care must be provided within two hours.") is None
    found = find_deadline(
        "Papers must go out at least five clear working days before each meeting."
    )
    assert found is not None
    assert found.text == "at least five clear working days before each meeting"


@pytest.mark.slow
def test_a_time_in_a_past_relative_or_subordinate_clause_is_no_deadline() -> None:
    from docmine.language.nlp import parse_texts

    def deadline(text: str) -> str:
        found = find_deadline(text, 2026, parse_texts([text], SETTINGS.spacy_model)[0])
        return found.text if found else ""

    assert deadline("Systems that met their 2026/27 targets may apply for capital funding.") == ""
    assert deadline("Trusts that did not submit plans by 31 March 2025 must do so now.") == ""
    past = "Where a system has not met the standard in 2026/27, the ICB must submit a recovery "
    assert deadline(past + "plan within 8 weeks of the start of the financial year.") == (
        "within 8 weeks of the start of the financial year"
    )
    # a time in the instruction itself, or in a present-tense condition, stays
    assert deadline("Where a plan is published, it must be reviewed by 31 March 2027.") == (
        "by 31 March 2027"
    )
    assert deadline("Trusts must submit plans by 31 March 2027.") == "by 31 March 2027"


def test_a_term_a_definition_gives_a_body_names_it() -> None:
    from docmine.link.bodies import defined_short_names

    text = (
        "In this Contract “the Provider” means the NHS trust named in the Particulars and "
        "“the Commissioner” means NHS Eastdale Integrated Care Board. ‘Channel’ refers to the "
        "local authority led support."
    )
    assert defined_short_names(text, GAZETTEER) == {
        "Provider": "NHS provider",
        "Commissioner": "integrated care board",
    }
    # its plural names the same kind of body
    found = find_bodies("Commissioners must review it.", GAZETTEER, learn_acronyms(text, GAZETTEER))
    assert [m.canonical for m in found] == ["integrated care board"]
    # a term in lower case, when the definition names one body (a body in a relative clause
    # after it is not a second), not when it names two kinds
    text = (
        "In this specification, “the commissioner” means the integrated care board that holds "
        "the contracts of the PCN’s member practices. “responsible body” means an integrated "
        "care board or a local authority."
    )
    assert defined_short_names(text, GAZETTEER) == {"commissioner": "integrated care board"}
    found = find_bodies(
        "Commissioners may withhold it.", GAZETTEER, learn_acronyms(text, GAZETTEER)
    )
    assert [m.canonical for m in found] == ["integrated care board"]
    # common nouns in lower case are no names; an agent of two words is
    text = (
        "‘the board’ refers to the integrated care board. “trust” means the NHS foundation "
        "trust. “the lead commissioner” means the integrated care board."
    )
    assert defined_short_names(text, GAZETTEER) == {"lead commissioner": "integrated care board"}


def test_a_time_in_a_condition_before_the_instruction_is_no_deadline() -> None:
    for text in (
        "Where a local authority cannot arrange a care package within seven days, it should tell "
        "the patient in writing.",
        "Subject to confirmation of the 2025/26 allocations, systems will be required to maintain "
        "the reduction.",
        "If a complaint is not resolved within 20 working days, the ICB should refer it.",
    ):
        assert find_deadline(text) is None, text
    found = find_deadline("When ICBs publish plans in 2026, they must share them by 30 June 2026.")
    assert found is not None and found.text == "by 30 June 2026"
    # a fronted time ("When ...") may be the time to act; a condition no comma closes before the
    # instruction's modal is not read as one
    for text, expected in (
        ("When submitting your plan by 28 February 2026, include a trajectory.", "by 28 February"),
        (
            "Where a trust is in segment 4 it must submit a recovery plan by 31 March 2026, with "
            "milestones.",
            "by 31 March 2026",
        ),
    ):
        found = find_deadline(text)
        assert found is not None and found.text.startswith(expected), text
    # a season of a financial year
    for season in ("winter 2025/26", "winter 2025/2026", "winter 2025-26"):
        found = find_deadline(f"The Council should increase reablement hours before {season}.")
        assert found is not None and (found.text, found.start) == (f"before {season}", "2025-12-01")
    # a year that modifies a noun names a thing of that year
    for text in (
        "Staff told us in the 2025 survey that they should be trained.",
        "ICBs should use their 2025/26 allocations for discharge.",
    ):
        assert find_deadline(text) is None, text
    found = find_deadline("ICBs must publish their 2025/26 plans by 30 June 2025.")
    assert found is not None and found.text == "by 30 June 2025"
    # after a word of time, or before a noun of time, it is the time to act by
    for text in (
        "ICBs must submit their plans by the 2025 deadline set out in annex B.",
        "ICBs must spend it during the 2025/26 funding period.",
    ):
        assert find_deadline(text) is not None, text
    # another season of a financial year is left as its calendar year's
    found = find_deadline("ICBs should publish it by spring 2025/26.")
    assert found is not None and found.text == "by spring 2025"


def test_a_particulars_line_gives_a_role_a_body() -> None:
    from docmine.link.bodies import defined_short_names

    text = (
        "Provider: Eastmere Community Health NHS Trust.\n"
        "Co-ordinating Commissioner: NHS Wexcombe Integrated Care Board\n"
        "Audience: integrated care boards\n"
        "Lead Commissioner: the integrated care board and the local authority\n"
        "Author: NHS England\n"
        "The Provider must respond within 2 hours."
    )
    assert defined_short_names(text, GAZETTEER) == {
        "Provider": "NHS provider",
        "Co-ordinating Commissioner": "integrated care board",
    }
    found = find_bodies(
        "The Co-ordinating Commissioner may vary the volumes.",
        GAZETTEER,
        learn_acronyms(text, GAZETTEER),
    )
    assert [m.canonical for m in found] == ["integrated care board"]
    # a role inside a longer name is another's ("Each Alliance Provider", "The Care Provider")
    for other in ("Each Alliance Provider must share data.", "The Care Provider must act."):
        assert find_bodies(other, GAZETTEER, learn_acronyms(text, GAZETTEER)) == [], other
    # a proper name with its joiners
    names = (
        "Provider: Tees, Esk and Wear Valleys NHS Foundation Trust\n"
        "Commissioner: NHS Cheshire and Merseyside ICB\n"
    )
    assert defined_short_names(names, GAZETTEER) == {
        "Provider": "NHS provider",
        "Commissioner": "integrated care board",
    }


def test_a_point_to_act_by_wins_over_a_period_and_a_past_event_s_month_is_none() -> None:
    found = find_deadline("For 2026/27, systems are asked to publish their plan by 30 June 2026.")
    assert found is not None and found.text == "by 30 June 2026"
    text = (
        "The plan published in January sets out that ICBs must agree a plan by 30 September 2026."
    )
    found = find_deadline(text, 2026)
    assert found is not None and found.text == "by 30 September 2026"
    # a timeline row's opening date stays its deadline
    row = "December 2022 Each ICP to publish a strategy before April 2023"
    found = find_deadline(row)
    assert found is not None and found.text == "December 2022"


def test_a_table_rows_date_column_counts_for_every_instruction_in_the_row() -> None:
    from docmine.link import share_row_deadlines
    from docmine.model import Block, BlockKind, Clause, Deadline, Links, Obligation, Provenance

    row = "R1\tProviders must accept referrals. Forms must not ask for a BMI.\tFrom 1 July 2026"
    other = "R2\tProviders must reply within 4 weeks. Staff may help.\tBy 31 March 2027"
    text = f"{row}\n\n{other}"
    blocks = [
        Block(BlockKind.TABLE_ROW, row, Provenance(1, (), 0, len(row))),
        Block(BlockKind.TABLE_ROW, other, Provenance(1, (), len(row) + 2, len(text))),
    ]

    def obligation(sentence: str, force: Force, deadline: str = "") -> Obligation:
        start = text.index(sentence)
        clause = Clause("d", sentence, Provenance(1, (), start, start + len(sentence)))
        found = Deadline(deadline, "by") if deadline else None
        return Obligation(clause, ForceDecision(force), Links(deadline=found))

    shared = share_row_deadlines(
        [
            obligation("Providers must accept referrals.", Force.MANDATORY),
            obligation("Forms must not ask for a BMI.\tFrom 1 July 2026", Force.MANDATORY),
            obligation("Providers must reply within 4 weeks.", Force.MANDATORY, "within 4 weeks"),
            obligation("Staff may help.\tBy 31 March 2027", Force.NONE),
        ],
        blocks,
        2026,
    )
    deadlines = [o.links.deadline.text if o.links.deadline else "" for o in shared]
    # an instruction's own deadline stays; a none clause gets none
    assert deadlines == ["From 1 July 2026", "From 1 July 2026", "within 4 weeks", ""]


@pytest.mark.slow
def test_the_board_is_the_board_named_last_and_a_colon_ends_a_title_s_name() -> None:
    """ "The board" takes the board the text named last (a definite description refers to the
    most salient antecedent), not the document's first; an organ ("NHS England Board") or a
    board the title does not list keeps its hold."""
    text = (
        "Integrated care boards must have regard to the assessment.\n"
        "Health and wellbeing boards should publish their JSNA.\n"
        "The board may publish it as themed products."
    )
    ctx = make_context(text, SETTINGS)
    clauses = text.splitlines()
    decisions = [
        ForceDecision(Force.MANDATORY, cue=Span("must")),
        ForceDecision(Force.EXPECTATION, cue=Span("should")),
        ForceDecision(Force.SUGGESTION, cue=Span("may")),
    ]
    links = link_clauses(clauses, decisions, ctx)
    assert [link.holder for link in links] == [
        "integrated care board",
        "health and wellbeing board",
        "health and wellbeing board",
    ]
    organ = "The NHS England Board met. Health and wellbeing boards publish. The Board must agree."
    ctx = make_context(organ, SETTINGS)
    found = [find_bodies(c, GAZETTEER, {}, None, ctx.back_references) for c in organ.split(". ")]
    assert [m.canonical for m in found[2]] == ["NHS England"]
    from docmine.link.bodies import learn_back_references

    sab = "Each local authority must set up a board. Health and wellbeing boards may advise."
    refs = learn_back_references(sab, GAZETTEER, "Safeguarding adults boards: guidance")
    assert not refs["board"] and "+board" not in refs  # nor "Boards should ..."


@pytest.mark.slow
def test_a_body_named_in_a_fronted_condition_is_not_the_holder_of_the_main_verb() -> None:
    text = (
        "Where a local authority has not submitted its return, NHS England must write to the "
        "integrated care board."
    )
    ctx = make_context(text, SETTINGS)
    links = link_clauses([text], [ForceDecision(Force.MANDATORY, cue=Span("must"))], ctx)
    assert links[0].holder == "NHS England"
    assert "local authority" in [b.canonical for b in links[0].bodies]


@pytest.mark.slow
def test_we_on_a_council_s_own_page_is_the_council() -> None:
    from docmine.link import find_local_author

    page = (
        "This page is for residents. Northbridge City Council is responsible for care.\n"
        "If you appear to need care and support, we must carry out a needs assessment."
    )
    assert find_local_author(page, GAZETTEER, "Paying for care") == "local authority"
    ctx = make_context(page, SETTINGS, title="Paying for care")
    clause = page.splitlines()[1]
    links = link_clauses([clause], [ForceDecision(Force.MANDATORY, cue=Span("must"))], ctx)
    assert (links[0].holder, links[0].holder_text) == ("local authority", "we")
    # a page that names another body first, or a council only further down, is not its own
    other = "NHS England and Northbridge City Council agree. We must act."
    assert find_local_author(other, GAZETTEER) == ""
    assert find_local_author("We must act. " + "x " * 400 + "Northbridge Council", GAZETTEER) == ""


@pytest.mark.slow
def test_we_in_a_local_healthwatch_s_or_an_icb_s_own_document_is_that_body() -> None:
    from docmine.link import find_local_author

    plan = "Healthwatch Ashworth work plan\nWe must publish an annual report by 30 June."
    assert find_local_author(plan, GAZETTEER) == "local Healthwatch"
    policy = "NHS Northshire Integrated Care Board\nConflicts of interest policy\nWe will ..."
    assert find_local_author(policy, GAZETTEER) == "integrated care board"
    # Healthwatch England is a national body, not the local Healthwatch; nor are its guides
    assert find_local_author("Healthwatch England\nWe must act.", GAZETTEER) == ""
    for title in ("Guide for Healthwatch Trustees", "Healthwatch Enter and View guidance"):
        assert find_local_author(f"{title}\nWe must act.", GAZETTEER) == ""
    # a committee's page: "we" is the committee (a board, partnership or forum)
    assert find_local_author("Northshire ICB audit committee\nWe must meet.", GAZETTEER) == ""


@pytest.mark.slow
def test_a_reader_who_runs_an_unlisted_service_has_no_listed_body() -> None:
    """A page to GP practices ("your practice") that tells them to "speak to your integrated
    care board" addresses no listed body: the ICB is who they speak to, in "you" clauses and
    in imperatives alike."""
    from docmine.link import find_audience

    page = (
        "Changes to your registration\nYou must tell us within 28 days if a partner leaves.\n"
        "If your practice is merging, speak to your integrated care board first."
    )
    assert find_audience(page, GAZETTEER, {}) == ""
    first, imperative = page.splitlines()[1:]
    assert holder_of(first, "must", Force.MANDATORY, page) == ""
    assert holder_of(imperative, "speak", Force.EXPECTATION, page) == ""


@pytest.mark.slow
def test_the_board_of_a_trust_s_board_paper_is_the_trust() -> None:
    """DECISIONS.md 20: "the Board" of a body's own board paper is that body's, even where the
    paper names an integrated care board first."""
    paper = (
        "Public Board paper: maternity update\nRiverside Hospitals NHS Foundation Trust\n"
        "Oversight sits with the system hosted by the integrated care board.\n"
        "The Board is asked to note progress and to approve the revised trajectories."
    )
    clause = paper.splitlines()[-1]
    assert holder_of(clause, "is asked to", Force.EXPECTATION, paper) == "NHS provider"
    # not a trust named in passing in another body's paper
    other = "ICB Board meeting\nThe ICB met Riverside Hospitals NHS Foundation Trust.\n" + clause
    assert holder_of(clause, "is asked to", Force.EXPECTATION, other) != "NHS provider"


@pytest.mark.slow
def test_a_committee_the_document_says_is_a_body_s_own_names_that_body() -> None:
    from docmine.link.bodies import defined_short_names

    text = (
        "The Primary Care Commissioning Committee (the Committee) is established by the Board "
        "of NHS Severnvale Integrated Care Board (the ICB) as a committee of the Board.\n"
        "The Committee shall submit an annual report to the Board by 30 June each year."
    )
    assert defined_short_names(text, GAZETTEER)["Committee"] == "integrated care board"
    assert holder_of(text.splitlines()[1], "shall", Force.MANDATORY, text) == (
        "integrated care board"
    )
    other = "The Committee is established by the Secretary of State's review team."
    assert "Committee" not in defined_short_names(other, GAZETTEER)
    # a minister's advisory committee acts for no body of ours
    jcvi = "The Committee was established by the Secretary of State in 1963."
    assert "Committee" not in defined_short_names(jcvi, GAZETTEER)


@pytest.mark.slow
def test_a_defined_party_is_the_body_it_is_appointed_to_deliver() -> None:
    from docmine.link.bodies import defined_short_names

    spec = (
        '2.1 In this Specification, "the Provider" means the organisation appointed under this '
        "Contract to deliver Healthwatch Westvale.\n4.1 The Provider shall publish a report."
    )
    assert defined_short_names(spec, GAZETTEER)["Provider"] == "local Healthwatch"
    # appointed by a body is not being it
    by = '"the Provider" means the organisation appointed by the Council.'
    assert "Provider" not in defined_short_names(by, GAZETTEER)


@pytest.mark.slow
def test_a_verb_cue_s_subject_holds_not_a_modal_inside_its_complement() -> None:
    text = (
        "Local authorities will want to consider how adult social care providers can support "
        "hospital discharge at weekends."
    )
    ctx = make_context(text, SETTINGS)
    cue = Span.of(text, text.find("consider"), text.find("consider") + len("consider"))
    links = link_clauses([text], [ForceDecision(Force.SUGGESTION, cue=cue)], ctx)
    assert links[0].holder == "local authority"
    assert "social care provider" in [b.canonical for b in links[0].bodies]


@pytest.mark.slow
def test_coordinated_subjects_give_the_first_and_a_fronted_frame_ends_at_its_comma() -> None:
    text = "In preparing those plans, ICBs and local authorities should: identify the needs."
    ctx = make_context(text, SETTINGS)
    decision = ForceDecision(Force.EXPECTATION, cue=Span("should"))
    links = link_clauses([text], [decision], ctx)
    assert links[0].holder == "integrated care board"
    assert "local authority" in [b.canonical for b in links[0].bodies]


@pytest.mark.slow
def test_a_body_in_a_fronted_clause_is_not_the_reader_s_and_they_continue_the_subject() -> None:
    text = (
        "If a local Healthwatch asks for information about your service, you should respond "
        "within 20 working days."
    )
    ctx = make_context(text, SETTINGS)
    links = link_clauses([text], [ForceDecision(Force.EXPECTATION, cue=Span("should"))], ctx)
    assert links[0].holder == ""
    first, second = "ICBs must not share the data,", "and they must delete it within 30 days."
    ctx = make_context(f"{first} {second}", SETTINGS)
    decisions = [ForceDecision(Force.MANDATORY, cue=Span("must"))] * 2
    assert [link.holder for link in link_clauses([first, second], decisions, ctx)] == [
        "integrated care board",
        "integrated care board",
    ]


@pytest.mark.slow
def test_a_provision_that_confers_a_power_gives_it_to_the_body_named_after_it() -> None:
    """ "Section 14 gives the Secretary of State the power to ...": the body a provision gives
    the power or duty holds it (on the gold, 15 of the 16 such clauses' holders), as a rule."""
    clauses = [
        "Section 14 of the Act gives the Secretary of State the power to make regulations "
        "about the content of plans.",
        "Regulation 8 obliges the local authority to provide certain information to the ICB.",
    ]
    ctx = make_context("\n".join(clauses), SETTINGS)
    decisions = [
        ForceDecision(Force.SUGGESTION, cue=Span("gives")),
        ForceDecision(Force.MANDATORY, cue=Span("obliges")),
    ]
    links = link_clauses(clauses, decisions, ctx)
    assert [link.holder for link in links] == ["Secretary of State", "local authority"]
    assert [link.holder_confidence for link in links] == [-1.0, -1.0]
    # a body in the conferee's modifiers is not the conferee (a review's counter-example)
    clause = (
        "Regulation 20 places a duty on providers registered with the Care Quality Commission to "
        "be open with people."
    )
    ctx = make_context(clause, SETTINGS)
    (link,) = link_clauses([clause], [ForceDecision(Force.MANDATORY, cue=Span("places"))], ctx)
    assert link.holder != "Care Quality Commission"


@pytest.mark.slow
def test_a_body_after_the_cue_of_you_is_who_is_told_not_who_acts() -> None:
    """ "You should tell the local authority ...": "you" acts; the body after the cue is told.
    Where the document's reader is that body, it stays ("you" is the ICB)."""
    from docmine.link.choice import load_link_models

    models = load_link_models(SETTINGS.link_models)
    clauses = [
        "You should also tell the local authority about any safeguarding concern.",
        "You must inform the ICB of any change to your opening hours.",
    ]
    text = "Safeguarding notifications\n" + "\n".join(clauses)
    ctx = make_context(text, SETTINGS, title="Safeguarding notifications", models=models)
    decisions = [
        ForceDecision(Force.EXPECTATION, cue=Span("should")),
        ForceDecision(Force.MANDATORY, cue=Span("must")),
    ]
    links = link_clauses(clauses, decisions, ctx)
    assert [link.holder for link in links] == ["", ""]
    assert [b.canonical for b in links[0].bodies] == ["local authority"]


@pytest.mark.slow
def test_review_counter_examples_of_this_session_s_holder_rules() -> None:
    """A review's counter-examples (each had regressed): "and they should ..." after a named
    object is not the subject's; "the board"
    follows a board named as a subject, not an object; a board's page on its council's site
    speaks as the board; a sub-contractor engaged to deliver a service is not that service."""
    from docmine.link import find_local_author
    from docmine.link.bodies import defined_short_names
    from docmine.link.choice import load_link_models

    models = load_link_models(SETTINGS.link_models)
    # "If you are a local authority" says who "you" is: the body stays a candidate
    clauses = [
        "If you are a local authority, you must carry out a needs assessment within two days.",
        "If you are an NHS trust, you must notify the patient's GP on the day of discharge.",
        "If you are a director of public health, you must make sure the plan reflects your advice.",
    ]
    text = "Hospital discharge: who does what for local authorities\n" + "\n".join(clauses)
    ctx = make_context(text, SETTINGS, title="Hospital discharge: who does what", models=models)
    decisions = [ForceDecision(Force.MANDATORY, cue=Span("must"))] * 3
    links = link_clauses(clauses, decisions, ctx)
    assert [link.holder for link in links] == [
        "local authority",
        "NHS provider",
        "director of public health",
    ]
    assert [link.holder_confidence for link in links] == [-1.0] * 3  # the words say it: a rule
    first = "ICBs must send the draft plan to each health and wellbeing board,"
    second = "and they should give their opinion within 28 days."
    ctx = make_context(f"{first} {second}", SETTINGS, models=models)
    decisions = [
        ForceDecision(Force.MANDATORY, cue=Span("must")),
        ForceDecision(Force.EXPECTATION, cue=Span("should")),
    ]
    assert link_clauses([first, second], decisions, ctx)[1].holder != "integrated care board"
    board = [
        "Each integrated care board must meet in public.",
        "ICBs must share their plan with each health and wellbeing board.",
        "The board should publish its papers.",
    ]
    ctx = make_context(" ".join(board), SETTINGS, models=models)
    decisions = [
        ForceDecision(Force.MANDATORY, cue=Span("must")),
        ForceDecision(Force.MANDATORY, cue=Span("must")),
        ForceDecision(Force.EXPECTATION, cue=Span("should")),
    ]
    assert link_clauses(board, decisions, ctx)[2].holder == "integrated care board"
    page = "Eastmere Borough Council hosts our strategy as a health and wellbeing board. We must."
    assert find_local_author(page, GAZETTEER) == ""
    sub = '"Sub-contractor" means any organisation engaged by the Provider to deliver Healthwatch.'
    assert "Sub-contractor" not in defined_short_names(sub, GAZETTEER)
