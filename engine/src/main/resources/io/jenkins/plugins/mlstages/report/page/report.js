/*
 * ML Stages report page: renders a merged build report (`mlstages report`, engine class BuildReport).
 *
 * Contract, shared by the standalone HTML page (ReportPage) and the Jenkins build page, which loads
 * this file and report.css unchanged as the Stapler adjunct io.jenkins.plugins.mlstages.report.page.report
 * with <div class="ml-stages-report" data-report="${reportView.json}"/> in escaped Jelly:
 *  - every element with the class "ml-stages-report" is rendered from the report JSON in its
 *    data-report attribute (HTML-attribute-escaped JSON; element.dataset.report decodes it);
 *  - the script renders on DOMContentLoaded, or at once when it loads later;
 *  - the page only lays out report.summary: every decision (verdict, deltas, good/bad, lineage edges)
 *    is made by the engine, so the two pages cannot disagree.
 * Keep these file names and this contract. No framework, no build step, no network. Data never
 * becomes markup: text goes through textContent/createTextNode, SVG through createElementNS, and there
 * is no innerHTML, insertAdjacentHTML or document.write here.
 */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var instances = 0;

  // ---- building blocks ------------------------------------------------------------------------

  /** An HTML element; string children become text nodes, never markup. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  /** An SVG element. */
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) {
      return;
    }
    Object.keys(attrs).forEach(function (name) {
      var value = attrs[name];
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(name, String(value));
      }
    });
  }

  function append(node, children) {
    if (children === null || children === undefined) {
      return;
    }
    (Array.isArray(children) ? children : [children]).forEach(function (child) {
      if (child === null || child === undefined) {
        return;
      }
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    });
  }

  function isNumber(value) {
    return typeof value === 'number' && isFinite(value);
  }

  /** A number with fixed decimals; reports write NaN and infinities as strings, shown as they are. */
  function fmt(value, digits) {
    if (value === null || value === undefined) {
      return '\u2014';
    }
    if (typeof value !== 'number') {
      return String(value);
    }
    return value.toFixed(digits === undefined ? 4 : digits);
  }

  function signed(value, digits) {
    var text = fmt(value, digits);
    return isNumber(value) && value > 0 ? '+' + text : text;
  }

  function interval(lower, upper, digits) {
    return '[' + fmt(lower, digits) + ', ' + fmt(upper, digits) + ']';
  }

  function badge(status) {
    var text = status || 'UNKNOWN';
    return el('span', {'class': 'mlr-badge mlr-status-' + String(text).toLowerCase(), 'data-status': text}, text);
  }

  function section(name, title, children) {
    return el('section', {'class': 'mlr-section', 'data-section': name}, [el('h2', null, title)].concat(children));
  }

  function table(headers, rows, attrs) {
    var head = el('thead', null, el('tr', null, headers.map(function (h) {
      return el('th', {scope: 'col'}, h);
    })));
    return el('div', {'class': 'mlr-table-wrap'}, el('table', attrs || {'class': 'mlr-table'}, [head, el('tbody', null, rows)]));
  }

  function cell(text, cls) {
    return el('td', cls ? {'class': cls} : null, text);
  }

  function empty(text) {
    return el('p', {'class': 'mlr-empty'}, text);
  }

  function shorten(text, max) {
    text = String(text);
    return text.length <= max ? text : text.slice(0, max - 1) + '\u2026';
  }

  // ---- sections -------------------------------------------------------------------------------

  function header(summary) {
    var verdict = summary.verdict || {};
    var stages = (verdict.stages || []).map(function (stage) {
      return el('li', {'class': 'mlr-stage', 'data-stage': stage.stage, 'data-status': stage.status}, [
        badge(stage.status), ' ', el('span', {'class': 'mlr-stage-name'}, stage.stage),
        stage.checks ? el('span', {'class': 'mlr-muted'}, ' ' + (stage.checks - stage.failed) + '/' + stage.checks + ' checks passed') : null
      ]);
    });
    return el('header', {'class': 'mlr-header', 'data-section': 'verdict'}, [
      el('h1', null, summary.title || 'ML build report'),
      el('div', {'class': 'mlr-verdict mlr-verdict-' + String(verdict.status).toLowerCase()}, [
        badge(verdict.status), ' ', el('span', {'class': 'mlr-headline'}, verdict.headline || '')
      ]),
      el('ul', {'class': 'mlr-stages'}, stages)
    ]);
  }

  var ARROWS = {up: '\u25B2', down: '\u25BC', same: '='};

  function metrics(list) {
    var rows = list.map(function (m) {
      var delta = el('td', {'class': 'mlr-delta mlr-' + (m.effect || 'none')}, m.delta === null || m.delta === undefined ? '\u2014' : [
        el('span', {'class': 'mlr-arrow', 'aria-label': m.effect === 'good' ? 'better' : m.effect === 'bad' ? 'worse' : 'unchanged',
          title: (m.higher_is_better ? 'higher is better' : 'lower is better')}, ARROWS[m.direction] || ''),
        ' ', el('span', {'class': 'mlr-delta-value'}, signed(m.delta))
      ]);
      return el('tr', {'data-metric': m.name, 'data-effect': m.effect || null, 'data-direction': m.direction || null}, [
        el('th', {scope: 'row'}, m.name),
        cell(fmt(m.value), 'mlr-num mlr-value'),
        cell(m.lower === undefined ? '\u2014' : interval(m.lower, m.upper), 'mlr-num mlr-ci'),
        cell(fmt(m.champion), 'mlr-num mlr-champion'),
        delta,
        cell(m.delta_lower === undefined ? '\u2014' : interval(m.delta_lower, m.delta_upper), 'mlr-num mlr-delta-ci')
      ]);
    });
    var level = list.filter(function (m) { return isNumber(m.level); }).map(function (m) { return m.level; })[0];
    var ci = level ? Math.round(level * 100) + '% interval' : 'interval';
    return section('metrics', 'Metrics against the champion', [
      list.length ? table(['metric', 'candidate', ci, 'champion', 'delta', 'paired ' + ci + ' of delta'], rows)
        : empty('No metrics (no evaluate or gate report).'),
      el('p', {'class': 'mlr-note'}, '\u25B2/\u25BC is the direction of the change; green is better, red is worse '
        + '(for losses and errors lower is better).')
    ]);
  }

  function findingRow(f, withStage) {
    return el('tr', {'data-check': f.check, 'data-severity': f.severity, 'class': f.passed === true ? 'mlr-passed' : null}, [
      withStage ? cell(f.stage) : null,
      el('td', null, f.passed === true ? badge('PASSED') : el('span', {'class': 'mlr-sev mlr-sev-' + String(f.severity).toLowerCase()}, f.severity)),
      cell(f.check, 'mlr-code'),
      cell(f.subject === undefined || f.subject === null ? '' : f.subject, 'mlr-subject'),
      cell(f.message, 'mlr-message'),
      cell(f.observed === undefined ? '' : f.observed, 'mlr-observed'),
      cell(f.expected === undefined ? '' : f.expected, 'mlr-expected')
    ]);
  }

  function findings(list, validation) {
    var children = [];
    if (list.length) {
      children.push(table(['stage', 'severity', 'check', 'subject', 'message', 'observed', 'expected'],
        list.map(function (f) { return findingRow(f, true); }), {'class': 'mlr-table', 'data-table': 'failed-findings'}));
    } else {
      children.push(empty('No failed checks.'));
    }
    if (validation) {
      var data = [];
      if (validation.dataset) {
        data.push(el('span', {'class': 'mlr-code', 'data-field': 'dataset'}, validation.dataset));
      }
      if (isNumber(validation.rows)) {
        data.push(' \u00B7 ' + validation.rows + ' rows');
      }
      if (isNumber(validation.columns)) {
        data.push(' \u00B7 ' + validation.columns + ' columns');
      }
      if (validation.digest) {
        data.push(' \u00B7 digest ', el('span', {'class': 'mlr-code'}, validation.digest));
      }
      children.push(el('p', {'class': 'mlr-dataset'}, data));
      children.push(el('details', {'class': 'mlr-all-checks'}, [
        el('summary', null, 'All ' + validation.checks + ' validation checks (' + validation.failed + ' failed)'),
        table(['severity', 'check', 'subject', 'message', 'observed', 'expected'],
          validation.findings.map(function (f) { return findingRow(f, false); }), {'class': 'mlr-table', 'data-table': 'validation-checks'})
      ]));
    }
    return section('findings', 'Validation and findings', children);
  }

  var COMPARISONS = {'>=': '\u2265', '<=': '\u2264', '<': '<', '>': '>'};

  /** E.g. "drift when \u2265 0.1"; empty without a threshold. */
  function driftWhen(b) {
    return isNumber(b.threshold) ? 'drift when ' + (COMPARISONS[b.comparison] || '\u2265') + ' ' + b.threshold : '';
  }

  /** E.g. "Wasserstein distance (normed), drift when \u2265 0.1": what the bar is and when it means drift. */
  function driftRule(b) {
    return (b.measure || b.method || 'statistic') + (driftWhen(b) ? ', ' + driftWhen(b) : '');
  }

  function drift(bars) {
    var width = 900;
    var label = 170;
    var right = 330;
    var row = 28;
    var height = bars.length * row + 24;
    var max = 0;
    // the number compared with the threshold (a report from before "value" only had the statistic)
    var valueOf = function (b) { return isNumber(b.value) ? b.value : b.statistic; };
    bars.forEach(function (b) {
      max = Math.max(max, isNumber(valueOf(b)) ? valueOf(b) : 0, isNumber(b.threshold) ? b.threshold : 0);
    });
    max = max > 0 ? max * 1.1 : 1;
    var plot = width - label - right;
    var scale = function (v) { return label + plot * Math.max(0, Math.min(v, max)) / max; };
    var chart = svg('svg', {'class': 'mlr-chart mlr-drift', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'drift per column'});
    bars.forEach(function (b, i) {
      var y = 8 + i * row;
      var value = valueOf(b);
      var g = svg('g', {'class': 'mlr-drift-bar' + (b.drifted ? ' mlr-drifted' : ''), 'data-column': b.column,
        'data-measure': b.measure || b.method, 'data-comparison': b.comparison, 'data-value': value, 'data-threshold': b.threshold,
        'data-drifted': b.drifted ? 'true' : 'false'});
      g.appendChild(svg('text', {x: label - 8, y: y + 15, 'text-anchor': 'end', 'class': 'mlr-label'}, shorten(b.column, 24)));
      g.appendChild(svg('rect', {x: label, y: y + 3, width: isNumber(value) ? Math.max(1, scale(value) - label) : 0,
        height: row - 10, rx: 2, 'class': 'mlr-bar'}));
      if (isNumber(b.threshold)) {
        g.appendChild(svg('line', {x1: scale(b.threshold), x2: scale(b.threshold), y1: y, y2: y + row - 4, 'class': 'mlr-threshold'}));
      }
      g.appendChild(svg('text', {x: width - right + 6, y: y + 15, 'class': 'mlr-value-label'}, fmt(value)));
      g.appendChild(svg('text', {x: width - right + 62, y: y + 15, 'class': 'mlr-measure-label'}, shorten(driftRule(b), 48)));
      g.appendChild(svg('title', null, b.column + ': ' + (b.measure || b.method || '') + ' ' + fmt(value)
        + (isNumber(b.statistic) && b.statistic !== value ? ' (statistic ' + fmt(b.statistic) + ')' : '') + '; '
        + driftWhen(b) + (b.drifted ? ' (drifted)' : '')));
      chart.appendChild(g);
    });
    chart.appendChild(svg('text', {x: label, y: height - 2, 'class': 'mlr-axis-label'},
      'each bar is the measure named at its right; the dark tick is its drift threshold, red bars drifted'));
    return section('drift', 'Drift per column', bars.length ? [el('div', {'class': 'mlr-scroll'}, chart)]
      : [empty('No drift computed (no reference).')]);
  }

  /** A unit-square chart (0..1 on both axes) of one or more point series. */
  function unitChart(name, title, xLabel, yLabel, curve, options) {
    var size = 300;
    var pad = {l: 44, r: 12, t: 12, b: 38};
    var w = size - pad.l - pad.r;
    var h = size - pad.t - pad.b;
    var x = function (v) { return pad.l + w * v; };
    var y = function (v) { return pad.t + h * (1 - v); };
    var chart = svg('svg', {'class': 'mlr-chart mlr-curve', viewBox: '0 0 ' + size + ' ' + size, role: 'img',
      'aria-label': title, 'data-curve': name});
    [0, 0.25, 0.5, 0.75, 1].forEach(function (t) {
      chart.appendChild(svg('line', {x1: x(0), x2: x(1), y1: y(t), y2: y(t), 'class': 'mlr-grid'}));
      chart.appendChild(svg('line', {x1: x(t), x2: x(t), y1: y(0), y2: y(1), 'class': 'mlr-grid'}));
      chart.appendChild(svg('text', {x: x(t), y: y(0) + 14, 'text-anchor': 'middle', 'class': 'mlr-tick'}, String(t)));
      chart.appendChild(svg('text', {x: x(0) - 5, y: y(t) + 4, 'text-anchor': 'end', 'class': 'mlr-tick'}, String(t)));
    });
    chart.appendChild(svg('rect', {x: x(0), y: y(1), width: w, height: h, 'class': 'mlr-frame'}));
    if (options.diagonal) {
      chart.appendChild(svg('line', {x1: x(0), y1: y(0), x2: x(1), y2: y(1), 'class': 'mlr-reference'}));
    }
    var points = [];
    var xs = curve.xs || [];
    var ys = curve.ys || [];
    for (var i = 0; i < xs.length && i < ys.length; i++) {
      if (isNumber(xs[i]) && isNumber(ys[i])) {
        points.push(x(xs[i]).toFixed(2) + ',' + y(ys[i]).toFixed(2));
      }
    }
    chart.appendChild(svg('polyline', {points: points.join(' '), 'class': 'mlr-line', 'data-points': points.length}));
    if (options.dots) {
      points.forEach(function (p) {
        var xy = p.split(',');
        chart.appendChild(svg('circle', {cx: xy[0], cy: xy[1], r: 3.5, 'class': 'mlr-dot'}));
      });
    }
    chart.appendChild(svg('text', {x: x(0.5), y: size - 6, 'text-anchor': 'middle', 'class': 'mlr-axis-label'}, xLabel));
    chart.appendChild(svg('text', {x: 12, y: y(0.5), 'text-anchor': 'middle', 'class': 'mlr-axis-label',
      transform: 'rotate(-90 12 ' + y(0.5) + ')'}, yLabel));
    return el('figure', {'class': 'mlr-figure', 'data-figure': name}, [chart, el('figcaption', null, title)]);
  }

  function metricValue(list, name) {
    var found = list.filter(function (m) { return m.name === name; })[0];
    return found ? found.value : undefined;
  }

  function curves(data, keyMetrics) {
    var figures = [];
    if (data.roc) {
      figures.push(unitChart('roc', 'ROC' + (metricValue(keyMetrics, 'roc_auc') !== undefined ? ' \u00B7 AUC '
        + fmt(metricValue(keyMetrics, 'roc_auc')) : ''), 'false positive rate', 'true positive rate', data.roc, {diagonal: true}));
    }
    if (data.precision_recall) {
      figures.push(unitChart('precision_recall', 'Precision-recall' + (metricValue(keyMetrics, 'precision_recall_auc') !== undefined
        ? ' \u00B7 AP ' + fmt(metricValue(keyMetrics, 'precision_recall_auc')) : ''), 'recall', 'precision', data.precision_recall, {}));
    }
    if (data.calibration) {
      figures.push(unitChart('calibration', 'Calibration' + (metricValue(keyMetrics, 'expected_calibration_error') !== undefined
        ? ' \u00B7 ECE ' + fmt(metricValue(keyMetrics, 'expected_calibration_error')) : ''), 'mean predicted probability',
        'fraction of positives', data.calibration, {diagonal: true, dots: true}));
    }
    var children = figures.length ? [el('div', {'class': 'mlr-figures'}, figures)] : [];
    if (data.per_class) {
      children = children.concat(perClass(data.per_class));
    }
    return section('curves', 'Curves', children.length ? children : [empty('No curves for this task.')]);
  }

  /** Multiclass: each class against the rest, its row of MLflow's per-class metrics and its ROC and PR lines. */
  function perClass(list) {
    var withCurves = list.filter(function (c) { return c.roc && c.precision_recall; });
    var figures = withCurves.length ? [
      classChart('roc_per_class', 'ROC, each class against the rest', 'false positive rate', 'true positive rate',
        withCurves, 'roc', {diagonal: true}),
      classChart('precision_recall_per_class', 'Precision-recall, each class against the rest', 'recall', 'precision',
        withCurves, 'precision_recall', {})] : [];
    var rows = list.map(function (c) {
      var m = c.metrics || {};
      return el('tr', {'data-class': c.positive_class}, [cell(c.positive_class, 'mlr-code'), cell(String(c.support), 'mlr-num'),
        cell(fmt(m.precision_score), 'mlr-num'), cell(fmt(m.recall_score), 'mlr-num'), cell(fmt(m.f1_score), 'mlr-num'),
        cell(fmt(m.roc_auc), 'mlr-num'), cell(fmt(m.precision_recall_auc), 'mlr-num')]);
    });
    return (figures.length ? [el('div', {'class': 'mlr-figures'}, figures)] : []).concat([table(['class', 'support',
      'precision', 'recall', 'F1', 'ROC AUC', 'AP'], rows, {'class': 'mlr-table', 'data-table': 'per-class'})]);
  }

  /** One unit chart with a line per class: unitChart draws each, and the lines are gathered on the first. */
  function classChart(name, title, xLabel, yLabel, list, key, options) {
    var figures = list.map(function (c) { return unitChart(name, title, xLabel, yLabel, c[key], options); });
    var chart = figures[0].querySelector('svg');
    var legend = el('div', {'class': 'mlr-legend'});
    figures.forEach(function (figure, i) {
      var line = figure.querySelector('polyline');
      line.setAttribute('class', 'mlr-line mlr-series-' + (i % 10));
      line.setAttribute('data-class', list[i].positive_class);
      line.appendChild(svg('title', null, list[i].positive_class));
      chart.appendChild(line);
      legend.appendChild(el('span', {'class': 'mlr-key mlr-series-' + (i % 10)}, '\u2014 ' + list[i].positive_class));
    });
    figures[0].appendChild(legend);
    return figures[0];
  }

  function gate(data) {
    var rows = (data.rules || []).map(function (r) {
      return el('tr', {'data-rule-number': r.number, 'data-status': r.status}, [
        cell(r.number, 'mlr-num'),
        cell(r.rule, 'mlr-code mlr-rule'),
        cell(r.severity),
        el('td', null, badge(r.status)),
        cell(fmt(r.observed), 'mlr-num mlr-observed'),
        cell((r.comparison ? r.comparison + ' ' : '') + fmt(r.required), 'mlr-num mlr-required'),
        cell(fmt(r.champion), 'mlr-num mlr-champion'),
        cell(signed(r.margin), 'mlr-num mlr-margin ' + (isNumber(r.margin) ? (r.margin >= 0 ? 'mlr-good' : 'mlr-bad') : '')),
        cell(r.slice || '', 'mlr-slice')
      ]);
    });
    var about = ['Gate ', badge(data.status)];
    if (data.champion_source) {
      about.push(' \u00B7 champion from ' + data.champion_source + (data.champion_version ? ' (version ' + data.champion_version + ')' : ''));
    } else {
      about.push(' \u00B7 no champion' + (data.first_model_policy ? ' (first model: ' + data.first_model_policy + ')' : ''));
    }
    return section('gate', 'Gate rules', [el('p', null, about),
      rows.length ? table(['#', 'rule', 'severity', 'status', 'observed', 'required', 'champion', 'margin', 'slice'], rows)
        : empty('No rules.')]);
  }

  /** "champion \u2192 2 (set by canary)" for each alias as the build left it. */
  function aliasList(aliases) {
    var items = [];
    aliases.forEach(function (a, i) {
      items.push(i ? ', ' : null, el('span', {'class': 'mlr-alias', 'data-alias': a.alias, 'data-version': a.version, 'data-stage': a.stage}, [
        a.alias + ' \u2192 ' + a.version, el('span', {'class': 'mlr-muted'}, ' (set by ' + a.stage + ')')]));
    });
    return items;
  }

  function registration(data, aliases) {
    var items = [
      ['model', data.model], ['version', data.version],
      ['aliases', aliases && aliases.length ? aliasList(aliases) : (data.aliases || []).join(', ')],
      ['source', data.source], ['run', data.run_id], ['logged model', data.model_id], ['build key', data.build_key],
      ['reused', data.reused === undefined ? undefined : (data.reused ? 'yes (this build had registered it already)' : 'no')]
    ];
    var list = el('dl', {'class': 'mlr-fields'});
    items.forEach(function (item) {
      if (item[1] !== undefined && item[1] !== null && item[1] !== '') {
        list.appendChild(el('dt', null, item[0]));
        list.appendChild(el('dd', {'data-field': item[0], 'class': 'mlr-code'}, Array.isArray(item[1]) ? item[1] : String(item[1])));
      }
    });
    return section('registration', 'Registration', [list]);
  }

  /** Seconds since the canary started as {@code +m:ss} (or {@code +h:mm:ss}). */
  function elapsed(seconds) {
    var s = Math.round(seconds);
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    var h = Math.floor(s / 3600);
    var m = Math.floor(s % 3600 / 60);
    return '+' + (h ? h + ':' + two(m) : String(m)) + ':' + two(s % 60);
  }

  /**
   * The timeline with elapsed_seconds (the engine's since the report has them; an older report's from its
   * ISO times), entries without a time left out.
   */
  function timed(timeline) {
    var start = null;
    return timeline.filter(function (e) {
      if (!isNumber(e.elapsed_seconds) && start === null && !isNaN(Date.parse(e.time))) {
        start = Date.parse(e.time);
      }
      return isNumber(e.elapsed_seconds) || !isNaN(Date.parse(e.time));
    }).map(function (e) {
      return isNumber(e.elapsed_seconds) ? e : Object.assign({}, e, {elapsed_seconds: (Date.parse(e.time) - start) / 1000});
    });
  }

  /** "\u2264 0.2500", "\u2265 0.9000" or "between 0.1000 and 0.3000": the bounds of a canary check. */
  function bounds(a) {
    if (isNumber(a.min) && isNumber(a.max)) {
      return 'between ' + fmt(a.min) + ' and ' + fmt(a.max);
    }
    return isNumber(a.max) ? '\u2264 ' + fmt(a.max) : isNumber(a.min) ? '\u2265 ' + fmt(a.min) : '';
  }

  /**
   * One check of one analysis. A relative check's value is canary \u2212 stable, so it is labelled as the
   * difference and shown with both values: "p95_latency: canary \u2212 stable +0.0208 (\u2264 0.2500); canary 0.0412, stable 0.0204".
   */
  function analysisText(a) {
    var text = a.check + ': ' + (a.difference ? 'canary \u2212 stable ' + signed(a.value) : fmt(a.value));
    text += bounds(a) ? ' (' + bounds(a) + ')' : '';
    if (a.difference) {
      text += '; canary ' + fmt(a.canary_value) + ', stable ' + fmt(a.stable_value);
    }
    return text + (a.error && !isNumber(a.value) ? ': ' + a.error : '');
  }

  function canary(data) {
    var timeline = timed(data.timeline || []);
    var children = [el('p', null, [
      'Canary of ', el('span', {'class': 'mlr-code'}, String(data.model || '') + ' version ' + String(data.version || '')),
      data.stable_version !== undefined ? ' (stable: version ' + data.stable_version + ')' : '',
      ' \u2192 ', badge(data.verdict),
      data.started ? el('span', {'class': 'mlr-muted', 'data-field': 'started'}, ' \u00B7 started ' + data.started) : null
    ])];
    if (data.aliases && typeof data.aliases === 'object') {
      var aliases = Object.keys(data.aliases).map(function (a) { return a + ' \u2192 ' + data.aliases[a]; });
      if (aliases.length) {
        children.push(el('p', {'class': 'mlr-muted', 'data-field': 'aliases'}, 'aliases the canary left: ' + aliases.join(', ')));
      }
    }
    if (timeline.length) {
      children.push(canaryChart(timeline));
      children.push(timelineTable(timeline, 'canary-timeline'));
    } else {
      children.push(empty('No timeline.'));
    }
    var compared = timeline.filter(function (e) { return e.behaviour && e.behaviour.behaviour; });
    if (compared.length) {
      children.push(behaviour(compared, BEHAVIOUR.canary));
    }
    return section('canary', 'Canary', children);
  }

  /** A canary's or blue/green deployment's timeline: one row per entry, with each analysis' checks. */
  function timelineTable(timeline, name) {
    return table(['since start', 'step', 'weight', 'event', 'analysis'], timeline.map(function (e, i) {
      var analyses = (e.event === 'smoke' ? [] : e.analyses || []).map(function (a) {
        return el('div', {'class': 'mlr-analysis', 'data-verdict': a.verdict, 'data-check': a.check,
          'data-difference': a.difference ? 'true' : null}, [badge(a.verdict), ' ', el('span', {'class': 'mlr-analysis-text'}, analysisText(a))]);
      });
      if (e.event === 'smoke') {
        analyses = [el('div', {'class': 'mlr-analysis', 'data-verdict': e.analysis_verdict}, [badge(e.analysis_verdict), ' ',
          el('span', {'class': 'mlr-analysis-text'}, e.message)])];
      }
      return el('tr', {'data-index': i, 'data-step': e.step, 'data-weight': e.weight}, [
        el('td', {'class': 'mlr-num mlr-elapsed', title: e.time}, elapsed(e.elapsed_seconds)), cell(e.step, 'mlr-num'),
        cell(e.weight + ' %', 'mlr-num'), cell(e.event), el('td', null, analyses)
      ]);
    }), {'class': 'mlr-table', 'data-table': name});
  }

  /** "0.88 .. 0.98" for a score within a tolerance, the expected label otherwise (it is in the check's message). */
  function smokeExpected(a) {
    if (isNumber(a.min) && isNumber(a.max)) {
      return fmt(a.min) + ' .. ' + fmt(a.max);
    }
    var m = /expected the label '(.*)'/.exec(a.error || '');
    return m ? m[1] : (a.verdict === 'PASS' && a.error ? a.error.replace(/^label '(.*)' as expected$/, '$1') : '');
  }

  /**
   * A blue/green deployment (bluegreen.md): its outcome, the smoke checks against green (one row per request:
   * expected, answered, verdict), then the canary's chart and timeline of the switch and the window.
   */
  function blueGreen(data) {
    var timeline = timed(data.timeline || []);
    var children = [el('p', null, [
      'Blue/green of ', el('span', {'class': 'mlr-code'}, String(data.model || '') + ' version ' + String(data.version || '')),
      ' (green)', data.stable_version !== undefined ? ' against version ' + data.stable_version + ' (blue)' : '',
      ' \u2192 ', badge(data.verdict),
      data.started ? el('span', {'class': 'mlr-muted', 'data-field': 'started'}, ' \u00B7 started ' + data.started) : null
    ])];
    if (data.aliases && typeof data.aliases === 'object') {
      var aliases = Object.keys(data.aliases).map(function (a) { return a + ' \u2192 ' + data.aliases[a]; });
      if (aliases.length) {
        children.push(el('p', {'class': 'mlr-muted', 'data-field': 'aliases'}, 'aliases the deployment left: ' + aliases.join(', ')));
      }
    }
    var smoke = timeline.filter(function (e) { return e.event === 'smoke'; });
    if (smoke.length) {
      var last = smoke[smoke.length - 1];
      children.push(el('h3', null, 'Smoke checks against green'));
      children.push(table(['check', 'request', 'expected', 'answer', 'verdict'], (last.analyses || []).map(function (a) {
        return el('tr', {'data-check': a.check, 'data-verdict': a.verdict}, [cell(a.check), el('td', {'class': 'mlr-code'}, a.query || ''),
          cell(smokeExpected(a)), cell(isNumber(a.value) ? fmt(a.value) : (a.verdict === 'PASS' ? smokeExpected(a) : (a.error || ''))),
          el('td', null, badge(a.verdict))]);
      }), {'class': 'mlr-table', 'data-table': 'blue-green-smoke'}));
    } else {
      children.push(empty('No smoke checks ran: the deployment was aborted first.'));
    }
    if (timeline.length) {
      children.push(canaryChart(timeline, 'green'));
      children.push(timelineTable(timeline, 'blue-green-timeline'));
    }
    var compared = timeline.filter(function (e) { return e.behaviour && e.behaviour.behaviour; });
    if (compared.length) {
      children.push(behaviour(compared, BEHAVIOUR.canary));
    }
    return section('blue-green', 'Blue/green', children);
  }

  /**
   * A shadow run (shadow.md): its outcome and the comparison of the mirrored traffic with the same panel as
   * a canary's behaviour; the summary puts the comparison on the run's analysis as a canary's has it.
   */
  function shadow(data) {
    var timeline = timed(data.timeline || []);
    var children = [el('p', null, [
      'Shadow of ', el('span', {'class': 'mlr-code'}, String(data.model || '') + ' version ' + String(data.version || '')),
      data.stable_version !== undefined ? ' (live: version ' + data.stable_version + ')' : '',
      ' \u2192 ', badge(data.verdict),
      data.started ? el('span', {'class': 'mlr-muted', 'data-field': 'started'}, ' \u00B7 started ' + data.started) : null
    ])];
    var compared = timeline.filter(function (e) { return e.behaviour && e.behaviour.behaviour; });
    if (compared.length) {
      children.push(behaviour(compared, BEHAVIOUR.shadow));
    } else {
      children.push(empty('No comparison: the run ended before it was judged.'));
    }
    return section('shadow', 'Shadow', children);
  }

  /**
   * An A/B test (abtest.md): the outcome and winner with the always-valid interval, both arms' counts and rates
   * at the last analysis, the difference with its interval over the analyses (the engine's numbers; the page
   * draws them), and one row per analysis.
   */
  function abTest(data) {
    var counts = data.counts || {};
    var analyses = (data.analyses || []).filter(function (a) { return isNumber(a.elapsed_seconds) || a.look || a.counts; });
    var interval = Array.isArray(data.interval) && data.interval.length === 2 ? data.interval : null;
    var level = data.test && isNumber(data.test.alpha) ? Math.round((1 - data.test.alpha) * 1000) / 10 + ' %' : '';
    var children = [el('p', null, [
      'A/B test of ', el('span', {'class': 'mlr-code'}, String(data.model || '') + ' version ' + String(data.version || '')),
      data.control_version !== undefined ? ' against version ' + data.control_version : '',
      isNumber(data.weight) ? '' : '', ' → ', badge(data.verdict),
      data.started ? el('span', {'class': 'mlr-muted', 'data-field': 'started'}, ' · started ' + data.started) : null
    ]), el('p', {'data-field': 'winner'}, [
      'Winner: ', el('strong', {'data-winner': data.winner}, String(data.winner || 'inconclusive')),
      interval ? ' · candidate − control ' + level + ' always-valid interval [' + signed(interval[0]) + ', '
        + signed(interval[1]) + ']' : '',
      isNumber(data.p_value) ? ' · always-valid p ' + fmt(data.p_value) : ''
    ])];
    if (data.test) {
      children.push(el('p', {'class': 'mlr-muted', 'data-field': 'test'}, String(data.test.name || '') + '; α ' + fmt(data.test.alpha, 3)
        + ', mixing sd τ ' + fmt(data.test.mixing_sd, 3) + ', minimum ' + data.test.min_sample + ' per arm, promote when '
        + data.test.promote_when + (isNumber(data.test.margin) ? ' (margin ' + fmt(data.test.margin, 3) + ')' : '')
        + ', otherwise ' + data.test.otherwise));
    }
    var rate = function (x, n) { return isNumber(x) && isNumber(n) && n > 0 ? fmt(x / n) : '—'; };
    children.push(table(['arm', 'trials', 'conversions', 'rate'], [
      el('tr', {'data-arm': 'control'}, [cell('control'), cell(counts.control_trials, 'mlr-num'), cell(counts.control_conversions, 'mlr-num'),
        cell(rate(counts.control_conversions, counts.control_trials), 'mlr-num')]),
      el('tr', {'data-arm': 'candidate'}, [cell('candidate'), cell(counts.candidate_trials, 'mlr-num'),
        cell(counts.candidate_conversions, 'mlr-num'), cell(rate(counts.candidate_conversions, counts.candidate_trials), 'mlr-num')])
    ], {'class': 'mlr-table', 'data-table': 'ab-arms'}));
    var looks = analyses.filter(function (a) { return a.look && isNumber(a.look.difference) && isNumber(a.elapsed_seconds); });
    if (looks.length) {
      children.push(abChart(looks, level));
    }
    if (analyses.length) {
      children.push(table(['since start', 'control', 'candidate', 'difference', 'interval', 'z', 'always-valid p'], analyses.map(function (a, i) {
        var c = a.counts || {};
        var l = a.look;
        return el('tr', {'data-index': i}, [
          el('td', {'class': 'mlr-num mlr-elapsed', title: a.time}, isNumber(a.elapsed_seconds) ? elapsed(a.elapsed_seconds) : ''),
          cell(a.counts ? c.control_conversions + '/' + c.control_trials : '—', 'mlr-num'),
          cell(a.counts ? c.candidate_conversions + '/' + c.candidate_trials : '—', 'mlr-num'),
          cell(l ? signed(l.difference) : '—', 'mlr-num'),
          l ? cell('[' + signed(l.ci_low) + ', ' + signed(l.ci_high) + ']', 'mlr-num') : cell(a.note || '', 'mlr-muted'),
          cell(l ? fmt(l.z_statistic, 2) : '—', 'mlr-num'), cell(l ? fmt(l.p_value) : '—', 'mlr-num')
        ]);
      }), {'class': 'mlr-table', 'data-table': 'ab-analyses'}));
    } else {
      children.push(empty('No analysis: the test ended before its first one.'));
    }
    return section('ab-test', 'A/B test', children);
  }

  /** candidate − control at each analysis with its always-valid interval as a band, and the zero line. */
  function abChart(looks, level) {
    var width = 720;
    var height = 240;
    var pad = {l: 56, r: 28, t: 16, b: 40};
    var times = looks.map(function (a) { return a.elapsed_seconds; });
    var t0 = Math.min.apply(null, times);
    var t1 = Math.max.apply(null, times);
    var span = t1 > t0 ? t1 - t0 : 1;
    var lows = looks.map(function (a) { return a.look.ci_low; });
    var highs = looks.map(function (a) { return a.look.ci_high; });
    var v0 = Math.min(0, Math.min.apply(null, lows));
    var v1 = Math.max(0, Math.max.apply(null, highs));
    var vspan = v1 > v0 ? v1 - v0 : 1;
    var x = function (t) { return pad.l + (width - pad.l - pad.r) * (t - t0) / span; };
    var y = function (v) { return pad.t + (height - pad.t - pad.b) * (1 - (v - v0) / vspan); };
    var chart = svg('svg', {'class': 'mlr-chart mlr-ab', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'difference of the conversion rates over the analyses, with its always-valid interval'});
    [v0, v0 + vspan / 2, v1].forEach(function (v) {
      chart.appendChild(svg('line', {x1: x(t0), x2: x(t1), y1: y(v), y2: y(v), 'class': 'mlr-grid'}));
      chart.appendChild(svg('text', {x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', 'class': 'mlr-tick'}, signed(v, 3)));
    });
    var band = looks.map(function (a, i) { return x(times[i]).toFixed(2) + ',' + y(highs[i]).toFixed(2); })
      .concat(looks.slice().reverse().map(function (a, j) {
        var i = looks.length - 1 - j;
        return x(times[i]).toFixed(2) + ',' + y(lows[i]).toFixed(2);
      }));
    chart.appendChild(svg('polygon', {points: band.join(' '), 'class': 'mlr-ab-band', fill: 'currentColor', 'fill-opacity': 0.15}));
    chart.appendChild(svg('line', {x1: x(t0), x2: x(t1), y1: y(0), y2: y(0), 'class': 'mlr-ab-zero', stroke: 'currentColor',
      'stroke-dasharray': '4 3'}));
    var d = looks.map(function (a, i) { return (i ? 'L' : 'M') + x(times[i]).toFixed(2) + ',' + y(a.look.difference).toFixed(2); }).join('');
    chart.appendChild(svg('path', {d: d, 'class': 'mlr-step-line'}));
    var step = timeStep(span);
    for (var t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9; t += step) {
      chart.appendChild(svg('line', {x1: x(t), x2: x(t), y1: y(v0), y2: y(v0) + 4, 'class': 'mlr-axis-tick'}));
      chart.appendChild(svg('text', {x: x(t), y: y(v0) + 16, 'text-anchor': 'middle', 'class': 'mlr-tick mlr-time-tick'}, elapsed(t)));
    }
    looks.forEach(function (a, i) {
      var mark = svg('circle', {cx: x(times[i]).toFixed(2), cy: y(a.look.difference).toFixed(2), r: 3.5, 'class': 'mlr-mark',
        'data-index': i});
      mark.appendChild(svg('title', null, elapsed(a.elapsed_seconds) + ' · difference ' + signed(a.look.difference) + ' ['
        + signed(a.look.ci_low) + ', ' + signed(a.look.ci_high) + '] · p ' + fmt(a.look.p_value)));
      chart.appendChild(mark);
    });
    chart.appendChild(svg('text', {x: x(t0 + span / 2), y: height - 6, 'text-anchor': 'middle', 'class': 'mlr-axis-label'},
      'time since the test started (m:ss)'));
    return el('figure', {'class': 'mlr-figure mlr-wide'}, [chart, el('figcaption', null,
      'Candidate − control conversion rate at each analysis; the band is the ' + level + ' always-valid interval (it only narrows). '
      + 'A winner is declared when the band leaves the dashed zero line.')]);
  }

  /** What the behaviour panel says of each kind of run. */
  var BEHAVIOUR = {
    canary: {table: 'canary-behaviour', weight: true, live: 'stable', candidate: 'canary', title: 'Behaviour: the canary\'s predictions against the stable version\'s',
      source: 'The probe sent to both versions at each analysis'},
    shadow: {table: 'shadow-behaviour', weight: false, live: 'live', candidate: 'shadow', title: 'Behaviour: the shadow\'s predictions against the live version\'s',
      source: 'The live requests mirrored to both versions, as the capture paired them'}
  };

  /**
   * The behaviour comparisons of a canary's analyses (canary.md, behaviour rules) or of a shadow run
   * (shadow.md): one row of figures per analysis, and both versions' outputs over the same bins as of the
   * latest comparison; {@code kind} is one of {@link BEHAVIOUR}.
   */
  function behaviour(compared, kind) {
    var metrics = ['pairs', 'agreement', 'prediction_psi', 'prediction_ks', 'mean_abs_diff', 'shadow_error_rate',
      'shadow_latency_p50_ms', 'shadow_latency_p99_ms'];
    var rows = compared.map(function (e) {
      var b = e.behaviour.behaviour;
      var verdicts = {};
      (e.analyses || []).forEach(function (a) { verdicts[a.check] = a.verdict; });
      return el('tr', {'data-step': e.step, 'data-weight': e.weight}, [
        el('td', {'class': 'mlr-num mlr-elapsed', title: e.time}, elapsed(e.elapsed_seconds))
      ].concat(kind.weight ? [cell(e.weight + ' %', 'mlr-num')] : []).concat(metrics.map(function (m) {
        var value = b[m];
        return el('td', {'class': 'mlr-num', 'data-metric': m, 'data-verdict': verdicts[m] || null},
          value === undefined ? '\u2014' : m === 'pairs' ? String(value) : fmt(value, m.indexOf('_ms') > 0 ? 1 : 4));
      })));
    });
    var latest = compared[compared.length - 1];
    var children = [el('h3', null, kind.title),
      el('p', {'class': 'mlr-muted'}, kind.source + ' (' + String(latest.behaviour.live || '')
        + ' and ' + String(latest.behaviour.candidate || '') + '); a rule on a figure marks its cell with the verdict.'),
      table(['since start'].concat(kind.weight ? ['weight'] : []).concat(metrics), rows, {'class': 'mlr-table', 'data-table': kind.table})];
    var dist = latest.behaviour.behaviour.distribution;
    if (dist && Array.isArray(dist.bins) && dist.bins.length) {
      children.push(distributionChart(dist, kind));
    }
    return el('div', {'class': 'mlr-behaviour', 'data-field': 'behaviour'}, children);
  }

  /** Grouped bars: the live and the candidate's outputs per bin, as shares of each version's answers. */
  function distributionChart(dist, kind) {
    var width = 720;
    var height = 220;
    var pad = {l: 48, r: 16, t: 16, b: 44};
    var total = function (counts) { return counts.reduce(function (a, b) { return a + b; }, 0) || 1; };
    var live = dist.live.map(function (c) { return c / total(dist.live); });
    var cand = dist.candidate.map(function (c) { return c / total(dist.candidate); });
    var top = Math.max.apply(null, live.concat(cand).concat([0.01]));
    var band = (width - pad.l - pad.r) / dist.bins.length;
    var y = function (v) { return pad.t + (height - pad.t - pad.b) * (1 - v / top); };
    var chart = svg('svg', {'class': 'mlr-chart mlr-distribution', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'outputs of the ' + kind.live + ' and the ' + kind.candidate + ' version'});
    [0, top / 2, top].forEach(function (v) {
      chart.appendChild(svg('line', {x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v), 'class': 'mlr-grid'}));
      chart.appendChild(svg('text', {x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', 'class': 'mlr-tick'}, (100 * v).toFixed(0) + ' %'));
    });
    dist.bins.forEach(function (name, i) {
      var x0 = pad.l + i * band;
      [['live', live[i], kind.live], ['candidate', cand[i], kind.candidate]].forEach(function (bar, k) {
        var rect = svg('rect', {x: (x0 + band * (0.1 + 0.4 * k)).toFixed(2), y: y(bar[1]).toFixed(2),
          width: (band * 0.4).toFixed(2), height: Math.max(0, y(0) - y(bar[1])).toFixed(2),
          'class': 'mlr-bar mlr-bar-' + bar[0], 'data-bin': name, 'data-version': bar[2]});
        rect.appendChild(svg('title', null, bar[2] + ' ' + name + ': ' + (100 * bar[1]).toFixed(1) + ' %'));
        chart.appendChild(rect);
      });
      chart.appendChild(svg('text', {x: x0 + band / 2, y: y(0) + 16, 'text-anchor': 'middle', 'class': 'mlr-tick'},
        shorten(name, 10)));
    });
    chart.appendChild(svg('text', {x: width / 2, y: height - 6, 'text-anchor': 'middle', 'class': 'mlr-axis-label'},
      dist.kind === 'LABEL' ? 'label' : 'score (bin from)'));
    return el('figure', {'class': 'mlr-figure mlr-wide'}, [chart, el('figcaption', null,
      'Outputs of the latest comparison: ' + kind.live + ' (dark) and ' + kind.candidate
        + ' (light) as shares of each version\'s answers.')]);
  }

  /** A step of about a sixth of the span: 1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 6, 12 h. */
  function timeStep(span) {
    var steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200];
    for (var i = 0; i < steps.length; i++) {
      if (span / steps[i] <= 6) {
        return steps[i];
      }
    }
    return Math.ceil(span / 6 / 86400) * 86400;
  }

  /** The traffic weight over time; {@code version} names the new version ("canary" unless given, "green"). */
  function canaryChart(timeline, version) {
    var who = version || 'canary';
    var width = 720;
    var height = 240;
    // room for the largest mark (r 6) and the last time label at the right
    var pad = {l: 48, r: 28, t: 16, b: 40};
    var times = timeline.map(function (e) { return e.elapsed_seconds; });
    var t0 = Math.min.apply(null, times);
    var t1 = Math.max.apply(null, times);
    var span = t1 > t0 ? t1 - t0 : 1;
    var x = function (t) { return pad.l + (width - pad.l - pad.r) * (t - t0) / span; };
    var y = function (w) { return pad.t + (height - pad.t - pad.b) * (1 - Math.max(0, Math.min(100, w)) / 100); };
    var chart = svg('svg', {'class': 'mlr-chart mlr-canary', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': who + ' traffic weight over time'});
    [0, 25, 50, 75, 100].forEach(function (w) {
      chart.appendChild(svg('line', {x1: x(t0), x2: x(t1), y1: y(w), y2: y(w), 'class': 'mlr-grid'}));
      chart.appendChild(svg('text', {x: pad.l - 6, y: y(w) + 4, 'text-anchor': 'end', 'class': 'mlr-tick'}, w + ' %'));
    });
    var d = '';
    timeline.forEach(function (e, i) {
      var px = x(times[i]).toFixed(2);
      var py = y(isNumber(e.weight) ? e.weight : 0).toFixed(2);
      d += i === 0 ? 'M' + px + ',' + py : 'H' + px + 'V' + py;
    });
    chart.appendChild(svg('path', {d: d, 'class': 'mlr-step-line'}));
    var step = timeStep(span);
    for (var t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9; t += step) {
      chart.appendChild(svg('line', {x1: x(t), x2: x(t), y1: y(0), y2: y(0) + 4, 'class': 'mlr-axis-tick'}));
      chart.appendChild(svg('text', {x: x(t), y: y(0) + 16, 'text-anchor': 'middle', 'class': 'mlr-tick mlr-time-tick'}, elapsed(t)));
    }
    // analyses last, so that an entry at the same moment (the promotion right after the last analysis) does not hide them
    var order = timeline.map(function (e, i) { return i; }).sort(function (a, b) {
      return (timeline[a].analysis_verdict ? 1 : 0) - (timeline[b].analysis_verdict ? 1 : 0) || a - b;
    });
    order.forEach(function (i) {
      var e = timeline[i];
      var verdict = e.analysis_verdict;
      var mark = svg('circle', {cx: x(times[i]).toFixed(2), cy: y(isNumber(e.weight) ? e.weight : 0).toFixed(2), r: verdict ? 6 : 3.5,
        'class': 'mlr-mark mlr-verdict-' + String(verdict || 'none').toLowerCase(), 'data-index': i, 'data-step': e.step,
        'data-weight': e.weight, 'data-verdict': verdict || null});
      mark.appendChild(svg('title', null, elapsed(e.elapsed_seconds) + ' (' + e.time + ') \u00B7 ' + e.weight + ' % \u00B7 ' + e.event
        + (e.analyses || []).map(function (a) { return '\n' + a.verdict + ' ' + analysisText(a); }).join('')));
      chart.appendChild(mark);
    });
    chart.appendChild(svg('text', {x: x(t0 + span / 2), y: height - 6, 'text-anchor': 'middle', 'class': 'mlr-axis-label'},
      'time since the ' + (version ? 'deployment' : 'canary') + ' started (m:ss)'));
    chart.appendChild(svg('text', {x: 14, y: y(50), 'text-anchor': 'middle', 'class': 'mlr-axis-label',
      transform: 'rotate(-90 14 ' + y(50) + ')'}, who + ' weight'));
    return el('figure', {'class': 'mlr-figure mlr-wide'}, [chart, el('figcaption', null,
      'Traffic to the ' + who + ' over time; marks are analyses (green pass, amber inconclusive, red fail).')]);
  }

  var COLUMNS = {dataset: 0, run: 1, logged_model: 2, build: 2, model_version: 3, alias: 4, deployment: 4};

  function lineage(graph, id) {
    var nodes = graph.nodes || [];
    var edges = graph.edges || [];
    if (!nodes.length) {
      return section('lineage', 'Lineage', [empty('No lineage.')]);
    }
    var boxW = 200;
    var boxH = 50;
    var gapX = 84;
    var gapY = 18;
    var columns = [];
    var place = {};
    nodes.forEach(function (n) {
      var c = COLUMNS.hasOwnProperty(n.type) ? COLUMNS[n.type] : 2;
      columns[c] = columns[c] || [];
      columns[c].push(n);
    });
    var used = [];
    columns.forEach(function (list, c) {
      if (list) {
        used.push(c);
      }
    });
    // each column in the order of its nodes' sources (the mean row of the nodes they come from), so that
    // the aliases of one version stand together and edges cross as little as possible
    var rowOf = {};
    used.forEach(function (c) {
      var list = columns[c];
      var key = list.map(function (n, i) {
        var rowsFrom = edges.filter(function (e) { return e.to === n.key && rowOf.hasOwnProperty(e.from); })
          .map(function (e) { return rowOf[e.from]; });
        return rowsFrom.length ? rowsFrom.reduce(function (a, b) { return a + b; }, 0) / rowsFrom.length : i;
      });
      var order = list.map(function (n, i) { return i; }).sort(function (a, b) { return key[a] - key[b] || a - b; });
      columns[c] = order.map(function (i) { return list[i]; });
      columns[c].forEach(function (n, r) { rowOf[n.key] = r; });
    });
    var rows = Math.max.apply(null, used.map(function (c) { return columns[c].length; }));
    var width = used.length * boxW + (used.length - 1) * gapX + 20;
    var height = rows * boxH + (rows - 1) * gapY + 20;
    used.forEach(function (c, i) {
      var list = columns[c];
      var offset = (height - (list.length * boxH + (list.length - 1) * gapY)) / 2;
      list.forEach(function (n, r) {
        place[n.key] = {x: 10 + i * (boxW + gapX), y: offset + r * (boxH + gapY)};
      });
    });
    var marker = 'mlr-arrow-' + id;
    var chart = svg('svg', {'class': 'mlr-chart mlr-lineage', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'lineage graph'}, svg('defs', null, svg('marker', {id: marker, viewBox: '0 0 10 10', refX: 10, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'}, svg('path', {d: 'M0,0 L10,5 L0,10 z', 'class': 'mlr-arrowhead'}))));
    edges.forEach(function (e) {
      var a = place[e.from];
      var b = place[e.to];
      if (!a || !b) {
        return;
      }
      var x1 = a.x + boxW;
      var y1 = a.y + boxH / 2;
      var x2 = b.x;
      var y2 = b.y + boxH / 2;
      if (b.x <= a.x) {
        x1 = a.x + boxW / 2;
        y1 = a.y + (b.y > a.y ? boxH : 0);
        x2 = b.x + boxW / 2;
        y2 = b.y + (b.y > a.y ? 0 : boxH);
      }
      var g = svg('g', {'class': 'mlr-edge', 'data-from': e.from, 'data-to': e.to, 'data-relation': e.relation}, [
        svg('line', {x1: x1, y1: y1, x2: x2, y2: y2, 'marker-end': 'url(#' + marker + ')'}),
        svg('title', null, e.from + ' \u2014' + e.relation + '\u2192 ' + e.to)
      ]);
      if (e.relation) {
        g.appendChild(svg('text', {x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle', 'class': 'mlr-edge-label'},
          shorten(e.relation, 16)));
      }
      chart.appendChild(g);
    });
    nodes.forEach(function (n) {
      var p = place[n.key];
      var title = n.type + ' ' + n.id + (n.name ? ' (' + n.name + ')' : '');
      Object.keys(n.attributes || {}).forEach(function (k) {
        title += '\n' + k + ': ' + n.attributes[k];
      });
      chart.appendChild(svg('g', {'class': 'mlr-node mlr-node-' + n.type, 'data-node-id': n.key, 'data-node-type': n.type,
        transform: 'translate(' + p.x + ',' + p.y + ')'}, [
        svg('rect', {width: boxW, height: boxH, rx: 6}),
        svg('text', {x: 10, y: 18, 'class': 'mlr-node-type'}, n.type.replace('_', ' ')),
        svg('text', {x: 10, y: 38, 'class': 'mlr-node-label'}, shorten(n.name && n.type !== 'model_version' ? n.name : n.id, 27)),
        svg('title', null, title)
      ]));
    });
    return section('lineage', 'Lineage', [el('div', {'class': 'mlr-scroll'}, chart)]);
  }

  // ---- the report -----------------------------------------------------------------------------

  function render(root) {
    if (root.getAttribute('data-rendered') === 'true') {
      return;
    }
    var report;
    try {
      report = JSON.parse(root.dataset.report || '');
    } catch (e) {
      root.textContent = 'This ML report cannot be shown: its data is not readable JSON.';
      root.setAttribute('data-rendered', 'error');
      return;
    }
    var summary = report.summary || {};
    var keyMetrics = summary.metrics || [];
    instances += 1;
    while (root.firstChild) {
      root.removeChild(root.firstChild);
    }
    root.classList.add('mlr');
    root.appendChild(header(summary));
    var main = el('div', {'class': 'mlr-body'});
    if (summary.registration) {
      main.appendChild(registration(summary.registration, summary.aliases));
    }
    if (keyMetrics.length) {
      main.appendChild(metrics(keyMetrics));
    }
    main.appendChild(findings(summary.findings || [], summary.validation));
    if (summary.drift) {
      main.appendChild(drift(summary.drift));
    }
    if (summary.curves) {
      main.appendChild(curves(summary.curves, keyMetrics));
    }
    if (summary.gate) {
      main.appendChild(gate(summary.gate));
    }
    if (summary.canary) {
      main.appendChild(canary(summary.canary));
    }
    if (summary.shadow) {
      main.appendChild(shadow(summary.shadow));
    }
    if (summary.blue_green) {
      main.appendChild(blueGreen(summary.blue_green));
    }
    if (summary.ab_test) {
      main.appendChild(abTest(summary.ab_test));
    }
    if (summary.lineage) {
      main.appendChild(lineage(summary.lineage, instances));
    }
    root.appendChild(main);
    root.setAttribute('data-rendered', 'true');
  }

  function renderAll() {
    Array.prototype.forEach.call(document.querySelectorAll('.ml-stages-report'), render);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', renderAll);
  } else {
    renderAll();
  }
}());
