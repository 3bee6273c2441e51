// Filter events by text and owner. State lives in the URL hash (#q=...&owner=...) so a filtered
// view can be shared as a link, and is applied on load. User text only ever reaches textContent.
(function () {
  var q = document.getElementById("q");
  var owner = document.getElementById("owner");
  var count = document.getElementById("count");
  var empty = document.getElementById("empty");
  var events = Array.prototype.slice.call(document.querySelectorAll("section.event"));
  var links = Array.prototype.slice.call(document.querySelectorAll("#toc li"));

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (params.has("q")) q.value = params.get("q");
    if (params.has("owner")) owner.value = params.get("owner");
  }

  function apply() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var who = owner.value;
    var shown = 0;
    events.forEach(function (section, i) {
      var text = section.getAttribute("data-search");
      var owners = JSON.parse(section.getAttribute("data-owners") || "[]");
      var visible = terms.every(function (t) { return text.indexOf(t) !== -1; }) &&
        (!who || owners.indexOf(who) !== -1);
      section.hidden = !visible;
      if (links[i]) links[i].hidden = !visible;
      if (visible) shown++;
    });
    count.textContent = shown + " of " + events.length + " events shown";
    empty.hidden = shown !== 0;
    document.body.setAttribute("data-shown", String(shown));
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (q.value) params.set("q", q.value);
    if (owner.value) params.set("owner", owner.value);
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }

  readHash();
  apply();
  q.addEventListener("input", function () { apply(); writeHash(); });
  owner.addEventListener("change", function () { apply(); writeHash(); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
})();
