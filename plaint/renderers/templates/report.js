(function () {
  "use strict";
  // Findings table <-> diagram, and the severity and pack filters. No network, no libraries.

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function scrollTo(element) {
    element.scrollIntoView({ block: "center", inline: "center", behavior: reduceMotion ? "auto" : "smooth" });
  }

  function clearHighlights() {
    var marked = document.querySelectorAll(".highlight");
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("highlight");
  }

  function announce(section, text) {
    var live = section.querySelector("[data-role=announce]");
    if (live) live.textContent = text;
  }

  // A finding row: mark it and its step on the diagram, and bring the step into view.
  function showRow(row) {
    var section = row.closest("[data-file]");
    var prefix = section.getAttribute("data-file");
    var step = row.getAttribute("data-step");
    clearHighlights();
    row.classList.add("highlight");
    if (!step) return;
    var node = document.getElementById(prefix + "step-" + step);
    if (!node) return;
    node.classList.add("highlight");
    scrollTo(node);
    announce(section, "Finding " + row.getAttribute("data-number") + " is on step " + step + ", highlighted on the diagram.");
  }

  // A step on the diagram: mark it and its finding rows, and bring the first row into view.
  function showStep(section, step, focusRow) {
    var prefix = section.getAttribute("data-file");
    var node = document.getElementById(prefix + "step-" + step);
    clearHighlights();
    if (node) node.classList.add("highlight");
    var rows = section.querySelectorAll("tr.finding");
    var first = null;
    var count = 0;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-step") !== step) continue;
      rows[i].classList.add("highlight");
      count++;
      if (!first && !rows[i].classList.contains("filtered-out")) first = rows[i];
    }
    if (focusRow && first) {
      scrollTo(first);
      first.focus({ preventScroll: true });
    } else if (node && !focusRow) {
      scrollTo(node);
    }
    announce(section, "Step " + step + ": " + count + (count === 1 ? " finding" : " findings") + " highlighted.");
  }

  function stepOf(section, target) {
    var prefix = section.getAttribute("data-file") + "step-";
    var node = target.closest ? target.closest("g[id]") : null;
    while (node) {
      var id = node.getAttribute("id") || "";
      if (id.indexOf(prefix) === 0) return id.slice(prefix.length);
      node = node.parentNode && node.parentNode.closest ? node.parentNode.closest("g[id]") : null;
    }
    return null;
  }

  var sections = document.querySelectorAll("[data-file]");
  for (var s = 0; s < sections.length; s++) {
    (function (section) {
      var table = section.querySelector("table.findings");
      if (table) {
        table.addEventListener("click", function (event) {
          var row = event.target.closest("tr.finding");
          if (!row || event.target.closest("a")) return;
          showRow(row);
        });
      }

      var diagram = section.querySelector(".diagram");
      if (diagram) {
        diagram.addEventListener("click", function (event) {
          var step = stepOf(section, event.target);
          if (!step) return;
          // The step's link points at its first finding; show all of them instead of jumping.
          event.preventDefault();
          showStep(section, step, true);
        });
      }

      // Evidence in the coverage matrix and elsewhere: show the step on the diagram.
      var links = section.querySelectorAll("button.step-link");
      for (var i = 0; i < links.length; i++) {
        links[i].addEventListener("click", function (event) {
          showStep(section, event.currentTarget.getAttribute("data-step"), false);
        });
      }

      setUpZoom(section);
      setUpFilters(section);
    })(sections[s]);
  }

  // A wide diagram is unreadable shrunk to the page: start at actual size when fitting it
  // would shrink it much, and let the reader switch.
  function setUpZoom(section) {
    var figure = section.querySelector(".diagram");
    var tools = section.querySelector(".diagram-tools");
    var svg = figure ? figure.querySelector("svg") : null;
    if (!svg || !tools) return;
    var button = tools.querySelector("button.zoom");
    tools.hidden = false;
    function fit(on) {
      figure.classList.toggle("fit", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    // Actual size: one point of the drawing to one CSS pixel (Graphviz sizes text in points).
    var box = svg.viewBox && svg.viewBox.baseVal;
    var natural = box && box.width ? box.width : 0;
    if (natural) svg.style.width = natural + "px";
    fit(!natural || natural <= figure.clientWidth * 1.6);
    button.addEventListener("click", function () {
      fit(!figure.classList.contains("fit"));
    });
  }

  function setUpFilters(section) {
    var bar = section.querySelector(".filters");
    var table = section.querySelector("table.findings");
    if (!bar || !table) return;
    bar.hidden = false; // without script the filters could not work, so they start hidden
    var rows = table.querySelectorAll("tr.finding");
    var empty = table.querySelector("tr.no-match");
    var status = bar.querySelector(".status");

    function pressed(kind) {
      var on = {};
      var buttons = bar.querySelectorAll("button[data-" + kind + "]");
      for (var i = 0; i < buttons.length; i++) {
        if (buttons[i].getAttribute("aria-pressed") === "true") on[buttons[i].getAttribute("data-" + kind)] = true;
      }
      return on;
    }

    function apply() {
      var levels = pressed("level");
      var packs = pressed("pack");
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var visible = levels[rows[i].getAttribute("data-level")] && packs[rows[i].getAttribute("data-pack")];
        rows[i].classList.toggle("filtered-out", !visible);
        if (visible) shown++;
      }
      if (empty) empty.hidden = shown !== 0;
      if (status) status.textContent = "Showing " + shown + " of " + rows.length + (rows.length === 1 ? " finding" : " findings");
    }

    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.classList.contains("reset")) {
        var all = bar.querySelectorAll("button[aria-pressed]");
        for (var i = 0; i < all.length; i++) all[i].setAttribute("aria-pressed", "true");
      } else if (button.hasAttribute("aria-pressed")) {
        button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
      }
      apply();
    });
    apply();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") clearHighlights();
  });

  // Printing shows every critical path, open or not.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();
