from linli.cases.models import State
from linli.cases.services import case_transition


def test_a_case_walks_the_whole_closed_loop(world, reported):
    case = reported
    assert case.state == State.REPORTED and case.suggested_unit == world.unit_a
    case = case_transition(actor=world.alice, case=case, action="accept")
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    case = case_transition(actor=world.uma, case=case, action="acknowledge")
    case = case_transition(actor=world.uma, case=case, action="resolve", note="已更换水管")
    case = case_transition(actor=world.gina, case=case, action="verify")
    case = case_transition(actor=world.alice, case=case, action="close")
    case = case_transition(actor=world.rita, case=case, action="rate", rating="satisfied")
    assert case.state == State.CLOSED and case.rating == "satisfied"
    assert [e.action for e in case.events.all()] == [
        "report", "accept", "dispatch", "acknowledge", "resolve", "verify", "close", "rate"]
    assert case.version == 8
