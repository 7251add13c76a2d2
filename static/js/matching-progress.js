// Matching progress: poll the run's JSON every 2 seconds and update the figures, chart and table.
// Without JavaScript the page shows the same figures and a Refresh link.
(function () {
  'use strict'
  var root = document.getElementById('match-progress')
  if (!root || root.getAttribute('data-active') !== 'true') { return }
  var url = root.getAttribute('data-url')

  function text (id, value) {
    var el = document.getElementById(id)
    if (el) { el.textContent = (value === null || value === undefined) ? '–' : String(value) }
  }

  function cell (value) {
    var td = document.createElement('td')
    td.className = 'govuk-table__cell govuk-table__cell--numeric'
    td.textContent = String(value)
    return td
  }

  function update (state) {
    text('run-elapsed', state.elapsed.toFixed(1))
    text('run-score', state.score)
    text('run-bound', state.bound)
    text('run-gap', state.gap)
    document.getElementById('run-chart-score').setAttribute('points', state.chart.score)
    document.getElementById('run-chart-bound').setAttribute('points', state.chart.bound)
    var body = document.getElementById('run-points')
    while (body.firstChild) { body.removeChild(body.firstChild) }
    state.points.forEach(function (point) {
      var row = document.createElement('tr')
      row.className = 'govuk-table__row'
      row.appendChild(cell(point[0]))
      row.appendChild(cell(point[1]))
      row.appendChild(cell(point[2]))
      body.appendChild(row)
    })
    if (!state.active) {
      window.location.reload()
      return false
    }
    return true
  }

  function poll () {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null })
      .then(function (state) {
        if (state && !update(state)) { return }
        window.setTimeout(poll, 2000)
      })
      .catch(function () { window.setTimeout(poll, 2000) })
  }

  window.setTimeout(poll, 2000)
})()
