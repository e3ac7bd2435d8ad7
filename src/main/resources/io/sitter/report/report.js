/*
 * sitter report: fills each div.chart from the JSON in #report-data with Apache ECharts
 * (configuration only; ECharts draws). Animation is off so the page is final as soon as it loads.
 */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = {};
  // Series colours leave out the reference lines' red (abort, explodes) and green (healthy, suggested).
  var PALETTE = ['#0969da', '#bf3989', '#bc4c00', '#8250df', '#0a7a8a', '#9a6700', '#57606a', '#d4a72c',
    '#953800', '#1b7c83', '#a475f9', '#6e7781'];

  // markLine rounds its value to 'precision' decimals before drawing it (option
  // series.markLine.precision, default 2: echarts-doc en/option/partial/mark-line.md), which turns
  // 1e-3 into 0, and on a log axis the line then vanishes. 20 is the most toFixed allows.
  var PRECISE = 20;

  function fmt(v) {
    if (v === null || v === undefined) { return '–'; }
    if (typeof v !== 'number') { return String(v); }
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) { return v.toExponential(2); }
    return String(+v.toPrecision(4));
  }

  function base(option) {
    var o = {
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif' },
      grid: { left: 64, right: 28, top: 44, bottom: 56, containLabel: false },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: fmt, confine: true }
    };
    for (var k in option) { if (Object.prototype.hasOwnProperty.call(option, k)) { o[k] = option[k]; } }
    return o;
  }

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(base(option));
    charts[id] = chart;
    return chart;
  }

  function zoom() {
    return [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 6 }];
  }

  function line(name, points, extra) {
    var s = { name: name, type: 'line', data: points, showSymbol: points.length < 40, symbolSize: 5,
      connectNulls: false, sampling: 'lttb', lineStyle: { width: 1.6 } };
    for (var k in extra || {}) { s[k] = extra[k]; }
    return s;
  }

  // An axis end computed from data (a reference line, a cap) rounded up to 2 significant digits.
  function niceCeil(v) {
    if (!(v > 0)) { return v; }
    var p = Math.pow(10, Math.floor(Math.log10(v)) - 1);
    // toPrecision drops the binary noise of the product (35 * 0.1 = 3.5000000000000004).
    return parseFloat((Math.ceil(v / p - 1e-9) * p).toPrecision(12));
  }

  // Loss: train per round, validation per epoch, the abort line and ln(C).
  if (data.loss) {
    var L = data.loss;
    var marks = [];
    if (L.abortLine !== undefined) {
      marks.push({ yAxis: L.abortLine, lineStyle: { color: '#cf222e', type: 'dashed', width: 1.5 },
        label: { formatter: 'abort: ' + L.abortFactor + '× initial loss ' + fmt(L.initial) + ' = ' + fmt(L.abortLine),
          position: 'insideEndTop', color: '#cf222e' } });
    }
    if (L.lnC !== undefined) {
      marks.push({ yAxis: L.lnC, lineStyle: { color: '#57606a', type: 'dotted', width: 1.5 },
        label: { formatter: 'ln(' + L.classes + ') = ' + fmt(L.lnC) + ', a uniform guess', position: 'insideStartTop',
          color: '#57606a' } });
    }
    var lossTop = Math.max(L.abortLine || 0, L.lnC || 0) * 1.08;
    make('chart-loss', {
      xAxis: { type: 'value', name: 'round', nameLocation: 'middle', nameGap: 26, minInterval: 1, min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'value', name: 'loss', min: 0, max: function (v) { return niceCeil(Math.max(v.max, lossTop)); } },
      dataZoom: zoom(),
      series: [
        line('train (per round)', L.train, { markLine: { silent: true, symbol: 'none', precision: PRECISE, data: marks } }),
        line('validation (per epoch)', L.val, { showSymbol: true, symbolSize: 7, lineStyle: { width: 2 } })
      ]
    });
  }

  if (data.accuracy) {
    var A = data.accuracy;
    make('chart-accuracy', {
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1,
        min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'value', name: 'accuracy', max: 1, min: function (v) { return Math.max(0, Math.floor(v.min * 10) / 10); } },
      series: [
        line('train', A.train, { showSymbol: true, symbolSize: 7 }),
        line('validation', A.val, { showSymbol: true, symbolSize: 7 })
      ]
    });
  }

  if (data.updateRatio) {
    var U = data.updateRatio;
    var ratioSeries = U.layers.map(function (l) { return line(l.name, l.points); });
    if (ratioSeries.length > 0) {
      ratioSeries[0].markArea = { silent: true, itemStyle: { color: 'rgba(26,127,55,0.10)' },
        label: { show: true, position: 'insideTopLeft', color: '#1a7f37', formatter: 'healthy ' + U.low.toExponential(0) + ' – ' + U.high.toExponential(0) },
        data: [[{ yAxis: U.low }, { yAxis: U.high }]] };
      ratioSeries[0].markLine = { silent: true, symbol: 'none', precision: PRECISE,
        lineStyle: { color: '#1a7f37', type: 'dashed', width: 1.5 },
        label: { position: 'insideEndTop', formatter: 'ideal ' + U.ideal.toExponential(0), color: '#1a7f37' },
        data: [{ yAxis: U.ideal }] };
    }
    make('chart-update-ratio', {
      xAxis: { type: 'value', name: 'round', nameLocation: 'middle', nameGap: 26, minInterval: 1, min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'log', name: 'update / weight', logBase: 10,
        min: function (v) { return Math.min(v.min, U.low / 3); }, max: function (v) { return Math.max(v.max, U.high * 3); },
        axisLabel: { formatter: function (v) { return v.toExponential(0); } } },
      dataZoom: zoom(),
      series: ratioSeries
    });
  }

  if (data.dead) {
    make('chart-dead', {
      xAxis: { type: 'value', name: 'round', nameLocation: 'middle', nameGap: 26, minInterval: 1, min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'value', name: 'dead share', min: 0, max: function (v) { return Math.max(0.1, Math.min(1, v.max * 1.2)); },
        axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
      dataZoom: zoom(),
      series: data.dead.layers.map(function (l) { return line(l.name, l.points); })
    });
  }

  if (data.saturated) {
    make('chart-saturated', {
      xAxis: { type: 'value', name: 'round', nameLocation: 'middle', nameGap: 26, minInterval: 1, min: 'dataMin', max: 'dataMax' },
      yAxis: { type: 'value', name: 'saturated share', min: 0, max: function (v) { return Math.max(0.1, Math.min(1, niceCeil(v.max * 1.2))); },
        axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
      dataZoom: zoom(),
      series: data.saturated.layers.map(function (l) { return line(l.name, l.points); })
    });
  }

  if (data.activations) {
    var S = data.activations;
    var first = 'round ' + S.firstRound;
    var last = 'round ' + S.lastRound;
    make('chart-activations', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt, confine: true },
      xAxis: { type: 'category', data: S.layers, axisLabel: { interval: 0, rotate: S.layers.length > 8 ? 40 : 0 } },
      yAxis: { type: 'value', name: 'activation' },
      series: [
        { name: 'mean, ' + first, type: 'bar', data: S.meanFirst, itemStyle: { color: '#9cc8f5' } },
        { name: 'mean, ' + last, type: 'bar', data: S.meanLast, itemStyle: { color: '#0969da' } },
        { name: 'std, ' + first, type: 'bar', data: S.stdFirst, itemStyle: { color: '#f3b27a' } },
        { name: 'std, ' + last, type: 'bar', data: S.stdLast, itemStyle: { color: '#bc4c00' } }
      ]
    });
  }

  (data.histograms || []).forEach(function (h, i) {
    make('chart-hist-' + i, {
      grid: { left: 48, right: 12, top: 30, bottom: 28 },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      xAxis: { type: 'value', scale: true, axisLabel: { fontSize: 10 } },
      yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: function (v) { return Math.round(v * 100) + '%'; } } },
      series: [
        line('round ' + h.firstRound, h.first, { step: 'middle', showSymbol: h.first.length < 2, areaStyle: { opacity: 0.25 }, color: '#8c959f' }),
        line('round ' + h.lastRound, h.last, { step: 'middle', showSymbol: h.last.length < 2, areaStyle: { opacity: 0.3 }, color: '#0969da' })
      ]
    });
  });

  if (data.lrProbe) {
    var P = data.lrProbe;
    var rateMarks = [];
    // Labels at different heights: the suggested and steepest rates are often a factor of 3 apart.
    function rateMark(value, name, color, type, position) {
      if (value !== null && value !== undefined) {
        rateMarks.push({ xAxis: value, lineStyle: { color: color, type: type, width: 1.5 },
          label: { formatter: name + ' ' + fmt(value), color: color, position: position } });
      }
    }
    rateMark(P.suggested, 'suggested', '#1a7f37', 'solid', 'insideEndTop');
    rateMark(P.steepest, 'steepest', '#57606a', 'dotted', 'insideStartBottom');
    rateMark(P.explodes, 'explodes', '#cf222e', 'dashed', 'insideEndTop');
    var firstLoss = null;
    P.points.forEach(function (p) { if (firstLoss === null && p[1] !== null) { firstLoss = p[1]; } });
    make('chart-lr-probe', {
      tooltip: { trigger: 'axis', confine: true, valueFormatter: fmt },
      xAxis: { type: 'log', name: 'learning rate', nameLocation: 'middle', nameGap: 26,
        axisLabel: { formatter: function (v) { return v.toExponential(0); } } },
      // An exploding loss would flatten the useful part; the curve leaves the top instead.
      yAxis: { type: 'value', name: 'loss', max: function (v) { return niceCeil(firstLoss === null ? v.max : Math.min(v.max, firstLoss * 3)); } },
      series: P.smoothed.length > 0
        ? [line('loss per minibatch', P.points, { lineStyle: { width: 1, opacity: 0.45 }, showSymbol: false, color: '#8c959f' }),
           line('smoothed (judged)', P.smoothed, { lineStyle: { width: 2 }, showSymbol: false, color: '#0969da',
             markLine: { silent: true, symbol: 'none', precision: PRECISE, data: rateMarks } })]
        : [line('probe loss', P.points, { markLine: { silent: true, symbol: 'none', precision: PRECISE, data: rateMarks } })]
    });
  }

  if (data.time) {
    var T = data.time;
    // Symbols only on short runs: with one round there is no area to fill, only points.
    var area = { stack: 'round', areaStyle: { opacity: 0.55 }, sampling: 'lttb' };
    make('chart-time', {
      grid: { left: 64, right: 72, top: 44, bottom: 56 },
      xAxis: { type: 'category', data: T.rounds, name: 'round', nameLocation: 'middle', nameGap: 26, boundaryGap: false },
      yAxis: [{ type: 'value', name: 'seconds' }, { type: 'value', name: 'samples/s', splitLine: { show: false } }],
      dataZoom: zoom(),
      series: [
        line('broadcast', T.broadcast, area),
        line('compute (slowest)', T.computeMax, area),
        line('aggregate', T.aggregate, area),
        line('compute (mean)', T.computeMean, { lineStyle: { type: 'dashed', width: 1.5 } }),
        line('samples/s', T.samplesPerSecond, { yAxisIndex: 1, lineStyle: { width: 1 }, color: '#57606a' })
      ]
    });
  }

  function trialScatter(id, key, axisName) {
    var s = data.search;
    var groups = {};
    s.trials.forEach(function (t) {
      var x = t.sampled[key];
      if (x === null || x === undefined || !(x > 0)) { return; }
      var aborted = t.status === 'aborted';
      var name = aborted ? 'aborted' : (t.stage || 'trial');
      if (!groups[name]) { groups[name] = []; }
      groups[name].push({ value: [x, t.valAccuracy === null ? 0 : t.valAccuracy], trial: t });
    });
    var symbols = { coarse: 'circle', fine: 'diamond', aborted: 'path://M-1,-1L1,1M1,-1L-1,1' };
    var series = Object.keys(groups).map(function (name) {
      return { name: name, type: 'scatter', data: groups[name], symbol: symbols[name] || 'rect',
        symbolSize: name === 'aborted' ? 11 : 10,
        itemStyle: name === 'aborted' ? { color: '#cf222e', borderColor: '#cf222e', borderWidth: 2 } : { opacity: 0.85 } };
    });
    make(id, {
      tooltip: { trigger: 'item', confine: true, formatter: function (p) {
        var t = p.data.trial;
        var enc = echarts.format.encodeHTML;
        var lines = ['<b>trial ' + t.trial + '</b> (' + enc(t.stage || '') + ', ' + enc(t.status || '') + ')'];
        Object.keys(t.sampled).forEach(function (k) { lines.push(enc(k) + ' = ' + fmt(t.sampled[k])); });
        Object.keys(t.choices || {}).forEach(function (k) { lines.push(enc(k) + ' = ' + enc(t.choices[k])); });
        lines.push('val accuracy = ' + fmt(t.valAccuracy));
        lines.push('val loss = ' + fmt(t.valLoss));
        if (t.reason) { lines.push('<span style="color:#cf222e">' + echarts.format.encodeHTML(t.reason) + '</span>'); }
        return lines.join('<br>');
      } },
      xAxis: { type: 'log', name: axisName, nameLocation: 'middle', nameGap: 26,
        axisLabel: { formatter: function (v) { return v.toExponential(0); } } },
      yAxis: { type: 'value', name: 'val accuracy', min: 0, max: 1 },
      series: series
    });
  }
  if (data.search && data.search.lrKey) { trialScatter('chart-search-lr', data.search.lrKey, data.search.lrKey); }
  if (data.search && data.search.l2Key) { trialScatter('chart-search-l2', data.search.l2Key, data.search.l2Key); }

  if (data.confusion) {
    var C = data.confusion;
    var n = C.classes.length;
    make('chart-confusion', {
      tooltip: { trigger: 'item', confine: true, formatter: function (p) {
        var d = p.data;
        return 'true <b>' + echarts.format.encodeHTML(C.classes[d[1]]) + '</b>, predicted <b>' +
          echarts.format.encodeHTML(C.classes[d[0]]) + '</b><br>' + d[3] + ' examples, ' +
          (100 * d[2]).toFixed(1) + '% of the true class';
      } },
      legend: { show: false },
      grid: { left: 90, right: 90, top: 20, bottom: 60 },
      xAxis: { type: 'category', data: C.classes, name: 'predicted', nameLocation: 'middle', nameGap: 40,
        splitArea: { show: true }, axisLabel: { interval: 0, rotate: n > 12 ? 45 : 0 } },
      yAxis: { type: 'category', data: C.classes, name: 'true', inverse: true, splitArea: { show: true },
        axisLabel: { interval: 0 } },
      visualMap: { min: 0, max: 1, dimension: 2, calculable: false, orient: 'vertical', right: 10, top: 'middle',
        text: ['100%', '0%'], inRange: { color: ['#ffffff', '#9cc8f5', '#0969da', '#0a3069'] } },
      series: [{ type: 'heatmap', data: C.cells, label: { show: n <= 20, fontSize: n > 12 ? 9 : 11,
        formatter: function (p) { return p.data[3]; } }, emphasis: { itemStyle: { borderColor: '#1f2328', borderWidth: 1 } } }]
    });
  }

  // Log-scale toggles (loss, LR probe). A log axis cannot start at 0 or keep the linear axis's
  // computed ends, so those are dropped while log is on and restored after.
  Array.prototype.forEach.call(document.querySelectorAll('button[data-log-for]'), function (b) {
    var chart = charts[b.getAttribute('data-log-for')];
    if (!chart) { return; }
    var linear = chart.getOption().yAxis[0];
    var linearEnds = { min: linear.min, max: linear.max };
    b.setAttribute('aria-pressed', 'false');
    b.addEventListener('click', function () {
      var log = b.getAttribute('aria-pressed') !== 'true';
      b.setAttribute('aria-pressed', String(log));
      chart.setOption({ yAxis: log ? { type: 'log', min: null, max: null } : { type: 'value', min: linearEnds.min, max: linearEnds.max } });
    });
  });

  // Sortable tables: click a header; numbers sort by data-sort, text by content; missing values last.
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-type') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var ca = a.cells[col], cb = b.cells[col];
          var va = numeric ? (ca.hasAttribute('data-sort') ? parseFloat(ca.getAttribute('data-sort')) : null) : ca.textContent;
          var vb = numeric ? (cb.hasAttribute('data-sort') ? parseFloat(cb.getAttribute('data-sort')) : null) : cb.textContent;
          if (va === null || va === '') { return vb === null || vb === '' ? 0 : 1; }
          if (vb === null || vb === '') { return -1; }
          var c = numeric ? va - vb : String(va).localeCompare(String(vb));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  });
}());
