"""What a batch shares: the index page, findings.csv/.xlsx, failure pages, and the offline HTML
export of each executed audit notebook. All HTML comes from the templates in ``templates/``."""
