// Starts GOV.UK Frontend's components (error summary focus, password reveal, menus) and labels table cells.
import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js'
import { labelTables } from '/static/js/tables.js'

initAll()
labelTables()
