uptime
sudo apt-get update
#1710408031
cd /var/log/postgresql
#1710408036
tail -n 200 postgresql-16-main.log | grep -i 'deadlock'
#1710408079
sudo -u postgres psql -c "SELECT pid, state, wait_event_type, left(query, 60) FROM pg_stat_activity WHERE state <> 'idle';"
#1710408140
df -h /var/lib/postgresql
#1710408166
for d in /var/lib/postgresql/16/main/pg_wal /var/lib/postgresql/16/main/base; do
  du -sh "$d"
done
#1710408233
systemctl status postgresql@16-main --no-pager
#1710408301
journalctl -u postgresql@16-main --since '09:00' -p warning
#1710408388
sudo -u postgres psql <<'SQL'
SELECT pg_size_pretty(pg_database_size('shop'));
VACUUM (VERBOSE, ANALYZE) orders;
SQL
#1710408620
vim /etc/postgresql/16/main/conf.d/10-wal.conf
#1710408655
systemctl reload postgresql@16-main
#1710408702
exit
