// Matching progress: poll the run's JSON every 2 seconds and update the status, figures, chart and
// table; announce milestones (started, first plan, ended) in the live region, then load the results.
// Without JavaScript the page shows the same figures and a Refresh link.
(function () {
  'use strict'
  var root = document.getElementById('match-progress')
  if (!root || root.getAttribute('data-active') !== 'true') { return }
  var url = root.getAttribute('data-url')
  var colours = {
    queued: 'govuk-tag--grey',
    running: 'govuk-tag--blue',
    finished: 'govuk-tag--green',
    cancelled: 'govuk-tag--yellow',
    failed: 'govuk-tag--red'
  }
  var lastStatus = root.getAttribute('data-status')
  var hadPoints = document.querySelectorAll('#run-points tr').length > 0

  function text (id, value) {
    var el = document.getElementById(id)
    if (el) { el.textContent = (value === null || value === undefined) ? '–' : String(value) }
  }

  function say (message) {
    var live = document.getElementById('run-live')
    if (live && message) { live.textContent = message }
  }

  function cell (value) {
    var td = document.createElement('td')
    td.className = 'govuk-table__cell govuk-table__cell--numeric'
    td.textContent = String(value)
    return td
  }

  function showStatus (status) {
    var tag = document.querySelector('#run-status .govuk-tag')
    if (!tag || status === lastStatus) { return }
    tag.textContent = root.getAttribute('data-label-' + status) || status
    tag.className = 'govuk-tag ' + (colours[status] || '')
    if (status === 'running') { say(root.getAttribute('data-say-started')) }
    lastStatus = status
  }

  function update (state) {
    showStatus(state.status)
    text('run-elapsed', state.elapsed.toFixed(1))
    text('run-score', state.score)
    text('run-bound', state.bound)
    text('run-gap', state.gap)
    text('run-summary', state.summary)
    text('run-chart-desc', state.summary)
    text('run-axis-high', state.chart.high === null ? '' : state.chart.high)
    text('run-axis-low', state.chart.low === null ? '' : state.chart.low)
    text('run-axis-seconds', state.chart.seconds)
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
    if (state.points.length && !hadPoints) {
      hadPoints = true
      say(root.getAttribute('data-say-first'))
    }
    if (!state.active) {
      say(root.getAttribute('data-say-done'))
      window.setTimeout(function () { window.location.reload() }, 1500)
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
