// Gives every table cell the name of its column (data-label), which the stylesheet shows in
// front of the value when a table reflows into blocks on a phone.
export function labelTables (root = document) {
  root.querySelectorAll('table.govuk-table').forEach(function (table) {
    const names = Array.from(table.querySelectorAll('thead th')).map(function (th) {
      return th.textContent.trim()
    })
    table.querySelectorAll('tbody tr').forEach(function (row) {
      Array.from(row.children).forEach(function (cell, index) {
        if (!cell.hasAttribute('data-label') && names[index]) {
          cell.setAttribute('data-label', names[index])
        }
      })
    })
  })
}
