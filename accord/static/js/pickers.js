// Pickers: <select data-picker> (accord/core/widgets.py) become searchable Tom Select controls.
// A select with data-picker-url holds only its selected options; the rest come from the
// server as the user types (GET <url>?q=&page= -> {"results": [{value, text}], "more"}).
// Loaded as a file: the Content-Security-Policy allows no inline script.
"use strict";

(function () {
  function message(text, className) {
    const div = document.createElement("div");
    div.className = className;
    div.textContent = text;
    return div;
  }

  function pageUrl(base, query, page) {
    const url = new URL(base, window.location.href);
    url.searchParams.set("q", query);
    url.searchParams.set("page", String(page));
    return url.toString();
  }

  function settingsFor(select) {
    const data = select.dataset;
    const plugins = {};
    if (select.multiple) {
      plugins.remove_button = { title: data.pickerRemove };
    } else if (!select.required && select.querySelector('option[value=""]')) {
      plugins.clear_button = { title: data.pickerClear };
    }
    const settings = {
      plugins: plugins,
      maxOptions: null,
      // Tom Select's own "create an option" stays off: only existing records can be picked.
      create: false,
      // After a pick, the next search starts from an empty box.
      clearAfterSelect: true,
      render: {
        no_results: function () {
          return message(data.pickerNoResults, "no-results");
        },
        loading: function () {
          return message(data.pickerLoading, "py-2 px-3 text-body-secondary");
        },
        loading_more: function () {
          return message(data.pickerLoadingMore, "loading-more-results py-2 px-3");
        },
        no_more_results: function () {
          return message(data.pickerNoMore, "no-more-results py-2 px-3 text-body-secondary");
        },
      },
    };
    if (select.multiple) {
      settings.hidePlaceholder = true;
    }
    const url = data.pickerUrl;
    if (url) {
      plugins.virtual_scroll = {};
      Object.assign(settings, {
        valueField: "value",
        labelField: "text",
        // The server searched (names, codes, former names): show its rows in its order.
        searchField: [],
        score: function () {
          return function () {
            return 1;
          };
        },
        preload: "focus",
        shouldLoad: function () {
          return true;
        },
        firstUrl: function (query) {
          return pageUrl(url, query, 1);
        },
        load: function (query, callback) {
          const address = this.getUrl(query);
          const self = this;
          fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) {
              return response.ok ? response.json() : { results: [], more: false };
            })
            .then(function (json) {
              if (json.more) {
                const next = new URL(address);
                next.searchParams.set("page", String(Number(next.searchParams.get("page")) + 1));
                self.setNextUrl(query, next.toString());
              }
              callback(json.results);
            })
            .catch(function () {
              callback();
            });
        },
      });
    }
    return settings;
  }

  function initPickers(root) {
    if (typeof window.TomSelect !== "function") {
      return; // the plain <select> keeps working
    }
    const scope = root && root.querySelectorAll ? root : document;
    const selects = Array.from(scope.querySelectorAll("select[data-picker]"));
    if (scope.matches && scope.matches("select[data-picker]")) {
      selects.push(scope);
    }
    selects.forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      new window.TomSelect(select, settingsFor(select));
      // Tom Select points the <label> at its own control (a combobox); the <select> it hides
      // (tabindex -1) stays only to submit the form, so screen readers skip it.
      select.setAttribute("aria-hidden", "true");
    });
  }

  // htmx:load fires for the page and for every piece of content htmx swaps in.
  document.addEventListener("htmx:load", function (event) {
    initPickers(event.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", function () {
    initPickers(document);
  });
})();
