"""orphan: its parent was deleted"""
revision = 'b1'
down_revision = 'gone00000000'
