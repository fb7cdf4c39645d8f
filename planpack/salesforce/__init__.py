"""Salesforce: credentials, the query client, snapshots and the pull.

Only `pull` talks to Salesforce (and imports simple_salesforce); everything
else reads snapshots, so validate, score and render work offline.
"""
