// Progressive enhancement for the booking form's slot weeks: a button that ticks (or clears)
// every slot of a week, and ticking "Any slot in this week" ticks that week's slots too.
// Without JavaScript the "Any slot in this week" checkbox still works: the server expands it.
(function () {
  'use strict'
  var weeks = document.querySelectorAll('[data-module="app-slot-week"]')
  Array.prototype.forEach.call(weeks, function (week) {
    var slots = week.querySelectorAll('.app-slot-week__slot')
    var any = week.querySelector('.app-slot-week__any')
    if (!slots.length) { return }
    var button = document.createElement('button')
    button.type = 'button'
    button.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-2 app-slot-week__toggle'

    function allTicked () {
      return Array.prototype.every.call(slots, function (box) { return box.checked })
    }
    function refresh () {
      button.textContent = allTicked() ? week.getAttribute('data-clear-label') : week.getAttribute('data-select-label')
    }
    function setAll (checked) {
      Array.prototype.forEach.call(slots, function (box) { box.checked = checked })
      if (any) { any.checked = checked }
      refresh()
    }

    button.addEventListener('click', function () { setAll(!allTicked()) })
    if (any) {
      any.addEventListener('change', function () { setAll(any.checked) })
    }
    Array.prototype.forEach.call(slots, function (box) {
      box.addEventListener('change', function () {
        if (any && !box.checked) { any.checked = false }
        refresh()
      })
    })
    var legend = week.querySelector('legend')
    legend.parentNode.insertBefore(button, legend.nextSibling)
    refresh()
  })
})()
