// Progressive enhancement for the request form.
// 1. Weeks: "Any slot in this week" is the one way to pick a whole week (the server expands
//    it without JavaScript); with JavaScript, ticking it also ticks that week's slots, and
//    unticking a slot unticks it.
// 2. Organisations: only those that work with the chosen condition are shown; an
//    organisation hidden this way is unticked, so what is sent is what was seen.
(function () {
  'use strict'
  var weeks = document.querySelectorAll('[data-module="app-slot-week"]')
  Array.prototype.forEach.call(weeks, function (week) {
    var slots = week.querySelectorAll('.app-slot-week__slot')
    var any = week.querySelector('.app-slot-week__any')
    if (!slots.length || !any) { return }
    any.addEventListener('change', function () {
      Array.prototype.forEach.call(slots, function (box) { box.checked = any.checked })
    })
    Array.prototype.forEach.call(slots, function (box) {
      box.addEventListener('change', function () {
        if (!box.checked) { any.checked = false }
      })
    })
  })

  var list = document.querySelector('[data-module="app-organisations"]')
  if (!list) { return }
  var items = list.querySelectorAll('[data-conditions]')
  var empty = list.querySelector('.app-organisations__none')
  function show (condition) {
    var shown = 0
    Array.prototype.forEach.call(items, function (item) {
      var works = (' ' + item.getAttribute('data-conditions') + ' ').indexOf(' ' + condition + ' ') !== -1
      var visible = !condition || works
      item.hidden = !visible
      if (!visible) {
        var box = item.querySelector('input')
        if (box) { box.checked = false }
      } else {
        shown += 1
      }
    })
    if (empty) { empty.hidden = shown !== 0 }
  }
  var radios = document.querySelectorAll('input[name="condition"]')
  Array.prototype.forEach.call(radios, function (radio) {
    radio.addEventListener('change', function () { if (radio.checked) { show(radio.value) } })
  })
  var chosen = document.querySelector('input[name="condition"]:checked')
  if (chosen) { show(chosen.value) }
})()
