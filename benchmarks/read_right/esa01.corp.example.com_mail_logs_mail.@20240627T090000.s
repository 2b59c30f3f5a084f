Thu Jun 27 09:00:00 2024 Info: Begin Logfile
Thu Jun 27 09:00:00 2024 Info: Version: 15.0.1-030 SN: 4229A1B5E7C3D08F1A22-6C0E9B1F3D47
Thu Jun 27 09:00:00 2024 Info: Time offset from UTC: 0 seconds
Thu Jun 27 09:00:00 2024 Info: Logfile rolled over
Thu Jun 27 09:02:14 2024 Info: New SMTP ICID 9918231 interface Data 1 (203.0.113.25) address 198.51.100.40 reverse dns host mail.vendor-example.com verified yes
Thu Jun 27 09:02:14 2024 Info: ICID 9918231 ACCEPT SG UNKNOWNLIST match sbrs[-1.0:10.0] SBRS 3.5 country Germany
Thu Jun 27 09:02:14 2024 Info: ICID 9918231 TLS success protocol TLSv1.3 cipher TLS_AES_256_GCM_SHA384
Thu Jun 27 09:02:14 2024 Info: Start MID 4418823 ICID 9918231
Thu Jun 27 09:02:14 2024 Info: MID 4418823 ICID 9918231 From: <billing@vendor-example.com>
Thu Jun 27 09:02:14 2024 Info: MID 4418823 ICID 9918231 RID 0 To: <a.schmidt@corp.example.com>
Thu Jun 27 09:02:15 2024 Info: MID 4418823 Message-ID '<20240627090213.4F2A1C@mail.vendor-example.com>'
Thu Jun 27 09:02:15 2024 Info: MID 4418823 Subject 'Invoice 2024-06 / INV-88412'
Thu Jun 27 09:02:15 2024 Info: MID 4418823 SPF: mailfrom identity billing@vendor-example.com Pass (v=spf1)
Thu Jun 27 09:02:15 2024 Info: MID 4418823 DKIM: pass signature verified (d=vendor-example.com s=sel2024 i=@vendor-example.com)
Thu Jun 27 09:02:15 2024 Info: MID 4418823 ready 48211 bytes from <billing@vendor-example.com>
Thu Jun 27 09:02:15 2024 Info: MID 4418823 matched all recipients for per-recipient policy DEFAULT in the inbound table
Thu Jun 27 09:02:16 2024 Info: MID 4418823 interim verdict using engine: CASE spam negative
Thu Jun 27 09:02:16 2024 Info: MID 4418823 using engine: CASE spam negative
Thu Jun 27 09:02:16 2024 Info: MID 4418823 interim AV verdict using Sophos CLEAN
Thu Jun 27 09:02:16 2024 Info: MID 4418823 antivirus negative
Thu Jun 27 09:02:17 2024 Info: MID 4418823 AMP file reputation verdict : CLEAN
Thu Jun 27 09:02:17 2024 Info: MID 4418823 Outbreak Filters: verdict negative
Thu Jun 27 09:02:17 2024 Info: MID 4418823 queued for delivery
Thu Jun 27 09:02:17 2024 Info: New SMTP DCID 2281920 interface 10.90.0.25 address 10.90.5.10 port 25
Thu Jun 27 09:02:17 2024 Info: Delivery start DCID 2281920 MID 4418823 to RID [0]
Thu Jun 27 09:02:17 2024 Info: Message done DCID 2281920 MID 4418823 to RID [0] [('X-IronPort-AV', 'E=Sophos;i="6.08,270,1709251200"; d="pdf\'?scan\'208";a="4418823"')]
Thu Jun 27 09:02:17 2024 Info: MID 4418823 RID [0] Response '2.0.0 Ok: queued as 4W9Hk23xYzz1C'
Thu Jun 27 09:02:17 2024 Info: Message finished MID 4418823 done
Thu Jun 27 09:02:19 2024 Info: ICID 9918231 close
Thu Jun 27 09:03:41 2024 Info: New SMTP ICID 9918240 interface Data 1 (203.0.113.25) address 91.215.85.19 reverse dns host unknown verified no
Thu Jun 27 09:03:41 2024 Info: ICID 9918240 REJECT SG BLOCKED_LIST match sbrs[-10.0:-3.0] SBRS -7.8 country Russian Federation
Thu Jun 27 09:03:41 2024 Info: ICID 9918240 close
Thu Jun 27 09:04:05 2024 Warning: Received an invalid DNS Response: rcode=ServFail data="'\\x8a\\x13\\x81\\x82\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00'" to IP 10.90.0.53 looking up 40.100.51.198.bl.spamcop.net
Thu Jun 27 09:05:22 2024 Warning: LDAP: Failed to connect to server dc02.corp.example.com:3268 (LDAPAcceptQuery ldap.accept): [Errno 110] Connection timed out
Thu Jun 27 09:05:23 2024 Info: LDAP: Reconnected to server dc01.corp.example.com:3268 (LDAPAcceptQuery ldap.accept)
Thu Jun 27 09:06:48 2024 Critical: MID 4418851 Internal error in content scanning: Unable to decode attachment 'scan_0627.7z' (unsupported compression method) - message sent to policy quarantine Outbreak
Thu Jun 27 09:07:02 2024 Info: MID 4418851 quarantined to "Outbreak" (Content Scanning Failure)
Thu Jun 27 09:07:02 2024 Info: Message finished MID 4418851 done
