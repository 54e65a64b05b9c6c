"""Dead links: `flask cia check-links` and the administrators' Link check page fetch the public links
of current assessments (`fetch`), record what they find (`store`, table link_check) and the checker
shows dead ones as advice on the assessments that hold them (rule CIA-R10, through
`CheckConfig.dead_links`). Nothing is ever fetched while a page is shown."""
