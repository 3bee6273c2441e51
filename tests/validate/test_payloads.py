from reflekt.validate.payloads import UNRECOGNIZED, Envelope, read_envelope


def test_segment_track_validates_properties_and_takes_message_id() -> None:
    env = read_envelope({"type": "track", "event": "Order Completed", "messageId": "m1", "properties": {"a": 1}})
    assert env == Envelope(("Order Completed",), None, None, {"a": 1}, "m1")


def test_segment_protocols_event_version_is_a_major() -> None:
    env = read_envelope({"event": "Order Completed", "context": {"protocols": {"event_version": 2}}})
    assert isinstance(env, Envelope) and env.version == "2" and env.body == {}


def test_schema_version_field_wins() -> None:
    env = read_envelope({"event": "A", "schema_version": "1-1", "context": {"protocols": {"event_version": 2}}})
    assert isinstance(env, Envelope) and env.version == "1-1"


def test_identify_and_group_validate_traits() -> None:
    identify = read_envelope({"type": "identify", "userId": "u", "traits": {"email": "a@b.c"}, "messageId": "m"})
    group = read_envelope({"type": "group", "groupId": "g", "traits": {"plan": "pro"}})
    assert isinstance(identify, Envelope) and identify.names == ("Identify",) and identify.body == {"email": "a@b.c"}
    assert isinstance(group, Envelope) and group.names == ("Group",) and group.body == {"plan": "pro"}


def test_page_tries_its_name_then_page() -> None:
    env = read_envelope({"type": "page", "name": "Home", "properties": {"path": "/"}})
    assert isinstance(env, Envelope) and env.names == ("Page - Home", "Home", "Page") and env.body == {"path": "/"}
    screen = read_envelope({"type": "screen", "properties": {}})
    assert isinstance(screen, Envelope) and screen.names == ("Screen",)


def test_iglu_self_describing_and_unstruct_wrapper() -> None:
    direct = read_envelope({"schema": "iglu:com.acme/Link Clicked/jsonschema/1-0-2", "data": {"url": "x"}})
    assert direct == Envelope(("Link Clicked",), "1-0-2", "com.acme", {"url": "x"}, None)
    wrapped = read_envelope({
        "event_id": "e-1",
        "schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
        "data": {"schema": "iglu:com.acme/Link Clicked/jsonschema/1-0-0", "data": {"url": "y"}},
    })
    assert wrapped == Envelope(("Link Clicked",), "1-0-0", "com.acme", {"url": "y"}, "e-1")


def test_avo_style_payload() -> None:
    env = read_envelope({"eventName": "Signed Up", "eventProperties": {"method": "email"}, "id": 7})
    assert env == Envelope(("Signed Up",), None, None, {"method": "email"}, "7")


def test_unrecognized_payloads_say_why() -> None:
    assert read_envelope({"foo": 1}) == UNRECOGNIZED
    assert read_envelope({"type": "track"}) == "a track call without an 'event' name"
    assert "malformed iglu URI" in str(read_envelope({"schema": "iglu:a/b", "data": {}}))
