// Starts GOV.UK Frontend's components (error summary focus, password reveal, menus).
import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js'

initAll()
