// Availability grid shortcuts: "select all mornings/afternoons", "all of this week", "clear".
// Progressive enhancement: the buttons stay hidden (and the plain checkboxes work) without JavaScript.
(function () {
  'use strict'
  var grids = document.querySelectorAll('.app-availability')
  Array.prototype.forEach.call(grids, function (grid) {
    var boxes = function (selector) {
      return Array.prototype.slice.call(grid.querySelectorAll('input[name="slots"]' + (selector || '')))
    }
    var status = grid.querySelector('.app-availability__status')
    var template = grid.getAttribute('data-status-template') || '{n}'
    var announce = function () {
      if (status) {
        status.textContent = template.replace('{n}', String(boxes(':checked').length))
      }
    }
    var tick = function (list) {
      list.forEach(function (box) { box.checked = true })
      announce()
    }
    Array.prototype.forEach.call(grid.querySelectorAll('[data-select]'), function (button) {
      button.hidden = false
      button.addEventListener('click', function () {
        var what = button.getAttribute('data-select')
        if (what === 'mornings') {
          tick(boxes('[data-morning="yes"]'))
        } else if (what === 'afternoons') {
          tick(boxes('[data-morning="no"]'))
        } else if (what === 'week') {
          var week = grid.querySelector('.app-availability__week[data-week="' + button.getAttribute('data-week') + '"]')
          tick(week ? Array.prototype.slice.call(week.querySelectorAll('input[name="slots"]')) : [])
        } else if (what === 'none') {
          boxes().forEach(function (box) { box.checked = false })
          announce()
        }
      })
    })
    var tools = grid.querySelector('.app-availability__tools')
    if (tools) { tools.hidden = false }
    grid.addEventListener('change', announce)
    announce()
  })
})()
