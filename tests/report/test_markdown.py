from reflekt.report.markdown import render_markdown
from reflekt.report.model import build_report


def test_markdown_lists_events_properties_and_versions(schemas) -> None:
    text = render_markdown(build_report("shop", schemas))
    assert text.startswith("# Tracking plan: shop\n\n3 events, 4 schema versions.")
    assert "| [Order Completed](#order-completed) | shop | 2-0 | team-checkout, Ann Lee |" in text
    assert "| `currency` | string | yes | ISO 4217. | `USD`, `EUR` |" in text
    assert "| `products[].price` | number or null | no |  |  |" in text
    assert "- **2-0** (`shop/Order Completed/2-0.json`): breaking change since 1-0" in text
    assert "  - **breaking:** new property 'currency' is required: old events lack it" in text
    assert "- **1-0** (`shop/Order Completed/1-0.json`): first version" in text


def test_markdown_escapes_user_text_outside_code_spans(schemas) -> None:
    text = render_markdown(build_report("shop", schemas))
    description = r'\<script\>alert("x")\</script\> & \<img src=x onerror=alert(1)\> \| \`tick\`'
    assert f"\n{description}\n" in text  # Cart Viewed's description: no live HTML, no table break
    # in a code span HTML is literal text; a backtick inside needs the double fence, a pipe its escape
    signup_row = next(line for line in text.splitlines() if line.startswith("| `method`"))
    assert signup_row.endswith('`email`, `` <script>alert("x")</script> & <img src=x onerror=alert(1)> \\| `tick` `` |')
    assert signup_row.replace("\\|", "").count("|") == 6
