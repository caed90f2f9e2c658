// Rà soát tổng hợp: accept, edit or reject each statement, then download the decisions as JSON.
// Plain JavaScript, no server, no external file. Document text is only ever set with textContent/value.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tonghop-data").textContent);
  var storageKey = "tonghop:" + data.round + ":" + (data.summary_generated_at || "");
  var decisions = {};
  var labels = { accept: "Đã chấp nhận", edit: "Đã sửa", reject: "Đã loại bỏ" };
  var texts = {};
  data.sentences.forEach(function (s) {
    texts[s.id] = s.text;
  });

  function load() {
    try {
      var saved = window.localStorage.getItem(storageKey);
      if (saved) {
        decisions = JSON.parse(saved) || {};
      }
    } catch (e) {
      decisions = {};
    }
  }

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(decisions));
    } catch (e) {
      /* file:// without storage: decisions live until the page is closed */
    }
  }

  function statement(id) {
    return document.querySelector('.stmt[data-id="' + CSS.escape(id) + '"]');
  }

  function show(id) {
    var item = statement(id);
    if (!item) {
      return;
    }
    var decision = decisions[id];
    item.classList.remove("is-accept", "is-edit", "is-reject");
    var state = item.querySelector(".state");
    var text = item.querySelector(".text");
    var edited = item.querySelector(".edited");
    if (decision) {
      item.classList.add("is-" + decision.action);
      state.textContent = labels[decision.action];
    } else {
      state.textContent = "";
    }
    if (decision && decision.action === "edit") {
      edited.hidden = false;
      edited.querySelector(".edited-text").textContent = decision.text;
      text.classList.add("replaced");
    } else {
      edited.hidden = true;
      text.classList.remove("replaced");
    }
  }

  function counts() {
    var total = data.sentences.length;
    var done = { accept: 0, edit: 0, reject: 0 };
    var open = 0;
    data.sentences.forEach(function (s) {
      var d = decisions[s.id];
      if (d) {
        done[d.action] += 1;
      } else if (s.unverified) {
        open += 1;
      }
    });
    document.getElementById("count-accept").textContent = done.accept;
    document.getElementById("count-edit").textContent = done.edit;
    document.getElementById("count-reject").textContent = done.reject;
    document.getElementById("count-open").textContent = open;
    document.getElementById("count-total").textContent = total;
  }

  function decide(id, action, text) {
    var original = texts[id];
    if (action === "edit") {
      decisions[id] = { action: "edit", text: text };
    } else {
      decisions[id] = { action: action };
    }
    decisions[id].original_text = original;
    save();
    show(id);
    counts();
  }

  function undo(id) {
    delete decisions[id];
    save();
    show(id);
    counts();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) {
      return;
    }
    var item = button.closest(".stmt");
    var action = button.getAttribute("data-action");
    if (!item) {
      return;
    }
    var id = item.getAttribute("data-id");
    var editor = item.querySelector(".editor");
    if (action === "accept" || action === "reject") {
      editor.hidden = true;
      decide(id, action);
    } else if (action === "edit") {
      var area = editor.querySelector("textarea");
      var current = decisions[id];
      area.value = current && current.action === "edit" ? current.text : texts[id];
      editor.hidden = false;
      area.focus();
    } else if (action === "save") {
      var value = editor.querySelector("textarea").value.trim();
      if (value) {
        decide(id, "edit", value);
        editor.hidden = true;
      }
    } else if (action === "cancel") {
      editor.hidden = true;
    } else if (action === "undo") {
      editor.hidden = true;
      undo(id);
    }
  });

  function payload() {
    var list = data.sentences
      .filter(function (s) {
        return decisions[s.id];
      })
      .map(function (s) {
        var d = decisions[s.id];
        var out = { sentence_id: s.id, action: d.action, original_text: d.original_text };
        if (d.action === "edit") {
          out.text = d.text;
        }
        return out;
      });
    var reviewer = document.getElementById("reviewer").value.trim();
    return {
      format: "tonghop-decisions/1",
      round: data.round,
      province: data.province,
      summary_generated_at: data.summary_generated_at,
      reviewer: reviewer || null,
      decided_at: new Date().toISOString(),
      decisions: list,
    };
  }

  document.getElementById("download").addEventListener("click", function () {
    var body = JSON.stringify(payload(), null, 2);
    var blob = new Blob([body], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "quyet-dinh-" + data.round + ".json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
  });

  document.getElementById("clear").addEventListener("click", function () {
    if (window.confirm("Xóa mọi quyết định đã ghi trên trang này?")) {
      decisions = {};
      save();
      data.sentences.forEach(function (s) {
        show(s.id);
      });
      counts();
    }
  });

  function filter() {
    var onlyOpen = document.getElementById("only-unverified").checked;
    var onlyLlm = document.getElementById("only-llm").checked;
    document.querySelectorAll(".stmt").forEach(function (item) {
      var hide =
        (onlyOpen && item.getAttribute("data-unverified") !== "true") ||
        (onlyLlm && item.getAttribute("data-origin") !== "llm");
      item.hidden = hide;
    });
  }
  document.getElementById("only-unverified").addEventListener("change", filter);
  document.getElementById("only-llm").addEventListener("change", filter);

  load();
  data.sentences.forEach(function (s) {
    show(s.id);
  });
  counts();
  document.documentElement.setAttribute("data-ready", "true");
})();
