#!/usr/bin/python3
# test-openapi.py — every operation of data/openapi.yaml, called on the real platform, answers as
# documented: a documented status, and JSON with the documented required members and types
#
# Copyright 2026 The OneWindow developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Needs Debian's python3-yaml (run with /usr/bin/python3). Starts onewindow-platform
# (OW_PLATFORM_BINARY) with --demo on a free loopback port and a temporary database, and stops it
# by its PID. Each operation is probed on its success path and on error paths (no token, wrong
# role, unknown ids, invalid members); an operation of the document the probes below do not know
# fails the test, so the document and this test cannot drift apart.

import datetime
import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid

import yaml

failures = []
seen = {}  # (method, path) → set of statuses answered


def fail(message):
    failures.append(message)
    print('not ok: ' + message, file=sys.stderr)


# Schemas ---------------------------------------------------------------------------------------

class Checker:
    def __init__(self, document):
        self.document = document

    def resolve(self, schema):
        while '$ref' in schema:
            node = self.document
            for part in schema['$ref'].lstrip('#/').split('/'):
                node = node[part]
            schema = node
        return schema

    def check(self, value, schema, where):
        schema = self.resolve(schema)
        if value is None:
            if not schema.get('nullable', False):
                fail('%s is null, which the document does not allow' % where)
            return
        for part in schema.get('allOf', []):
            self.check(value, part, where)
        kind = schema.get('type')
        python_types = {
            'string': str, 'array': list, 'object': dict, 'boolean': bool,
        }
        if kind == 'integer':
            if not isinstance(value, int) or isinstance(value, bool):
                fail('%s should be an integer: %r' % (where, value))
                return
        elif kind == 'number':
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                fail('%s should be a number: %r' % (where, value))
                return
        elif kind in python_types:
            if not isinstance(value, python_types[kind]):
                fail('%s should be of type %s: %r' % (where, kind, value))
                return
        if 'enum' in schema and value not in schema['enum']:
            fail('%s is %r, not one of %s' % (where, value, schema['enum']))
        if kind == 'string' and 'pattern' in schema and not re.search(schema['pattern'], value):
            fail('%s (%r) does not match %s' % (where, value, schema['pattern']))
        if kind in ('integer', 'number'):
            if 'minimum' in schema and value < schema['minimum']:
                fail('%s is below its minimum: %r' % (where, value))
            if 'maximum' in schema and value > schema['maximum']:
                fail('%s is above its maximum: %r' % (where, value))
        if kind == 'array' and 'items' in schema:
            for i, item in enumerate(value):
                self.check(item, schema['items'], '%s[%d]' % (where, i))
        if isinstance(value, dict):
            for member in schema.get('required', []):
                if member not in value:
                    fail('%s has no member %s' % (where, member))
            properties = schema.get('properties', {})
            for member, member_value in value.items():
                if member in properties:
                    self.check(member_value, properties[member], where + '.' + member)
                elif isinstance(schema.get('additionalProperties'), dict):
                    self.check(member_value, schema['additionalProperties'],
                               where + '.' + member)


# The platform ----------------------------------------------------------------------------------

class Platform:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='ow-openapi-')
        binary = os.environ.get('OW_PLATFORM_BINARY')
        data_dir = os.environ.get('OW_DATA_DIR')
        self.process = subprocess.Popen(
            [binary, '--listen', '127.0.0.1:0', '--db', os.path.join(self.dir, 'platform.db'),
             '--data-dir', data_dir, '--demo', '--demo-delay', '3600'],
            stdout=subprocess.PIPE, text=True, cwd=self.dir)
        for line in self.process.stdout:
            match = re.match(r'listening on http://([0-9.]+):([0-9]+)/', line)
            if match:
                self.host, self.port = match.group(1), int(match.group(2))
                break
        else:
            raise RuntimeError('the platform exited before it listened')

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, token=None, body=None, content_type='application/json'):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {}
        if token is not None:
            headers['Authorization'] = 'Bearer ' + token
        if body is not None:
            if not isinstance(body, bytes):
                body = json.dumps(body).encode()
            headers['Content-Type'] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        result = (response.status, response.getheader('Content-Type'), data)
        connection.close()
        return result

    def login(self, username):
        status, _, data = self.request('POST', '/api/v1/sessions',
                                       body={'username': username, 'password': 'demo'})
        assert status == 201, (username, status, data)
        return json.loads(data)['token']


# Case numbers (ISO/IEC 7064 MOD 37,36, as src/core/ow-case-number.c) ---------------------------

def check_char(first22):
    alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    p = 36
    for c in first22:
        p = (p + alphabet.index(c)) % 36
        if p == 0:
            p = 36
        p = (p * 2) % 37
    return alphabet[(37 - p) % 36]


def make_case_no(sequence):
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
    body = '4601000107%s%04d' % (today.strftime('%Y%m%d'), sequence)
    return body + check_char(body), today


def make_case(case_no, today, files):
    return {
        'case_no': case_no, 'query_code': 'K7Q2MX', 'state': 'accepted',
        'hall': '46010001', 'counter': 7, 'clerk': 'clerk',
        'received_at': '2026-01-05T06:30:00Z',
        'promised_date': (today + datetime.timedelta(days=14)).isoformat(),
        'document_no': '海口政服受〔2026〕1号',
        'applicant': {'kind': 'person', 'name': '张三', 'id_number': '11010519491231002X',
                      'phone': '13800138000', 'address': '海口市龙华区', 'contact_name': None},
        'agent': None,
        'items': [{'item_id': '11460100MB1234567X400011', 'basic_code': '000117001',
                   'name': '食品经营许可（新办）', 'department': '海口市市场监督管理局'}],
        'materials': [{'material_id': 'm1', 'name': '食品经营许可申请书',
                       'status': 'scanned' if files else 'paper', 'originals': 1, 'copies': 0,
                       'licence_no': None, 'due_date': None, 'note': None, 'files': files}],
        'delivery': {'kind': 'pickup', 'recipient': None, 'phone': None, 'address': None},
        'refusal': None,
    }


# Probes ----------------------------------------------------------------------------------------

def probes(platform, tokens):
    """(method, documented path, actual path, token, body, content type) for every operation."""
    clerk, pickup = tokens['clerk'], tokens['pickup']
    department, supervisor = tokens['department'], tokens['supervisor']
    # Of another department than the probes' cases (海口市市场监督管理局): refused them.
    other_department = tokens['department2']
    page = b'%PDF-1.4 a scanned page'
    sha = hashlib.sha256(page).hexdigest()
    case_no, today = make_case_no(1)
    second_no, _ = make_case_no(2)
    case = make_case(case_no, today, [sha])
    unknown_no = make_case_no(9999)[0]
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    ticket = {'id': 't-1', 'registered_at': now, 'tier': '5-working-days',
              'summary': '营业执照变更办不成', 'contact_name': '张三',
              'contact_phone': '13800138000', 'case_no': case_no}
    rating = {'id': 'r-1', 'case_no': case_no, 'channel': 'on-site', 'level': 2,
              'text': '等太久了', 'at': now}
    event = {'id': str(uuid.uuid4()), 'kind': 'approved', 'at': now, 'note': None}
    # A case waiting for supplements, of an item the catalog lists: events that amend it.
    third_no, _ = make_case_no(3)
    supplement = dict(make_case(third_no, today, []), state='supplement-requested',
                      items=[{'item_id': '01010090046010001001', 'basic_code': '000117001',
                              'name': '食品经营许可证核发（新办）',
                              'department': '海口市市场监督管理局'}])
    supplement['materials'] = [dict(supplement['materials'][0], status='missing', originals=0,
                                    note='未签字')]
    arrived = {'id': str(uuid.uuid4()), 'kind': 'supplement-received', 'at': now,
               'materials': [{'material_id': 'm1', 'status': 'paper', 'originals': 1,
                              'copies': 0}]}
    accepted = {'id': str(uuid.uuid4()), 'kind': 'accepted', 'at': now,
                'promised_date': today.isoformat(), 'document_no': '海口政服受〔2026〕9号'}
    P = '/api/v1'
    E = 'application/json'
    return [
        ('post', '/api/v1/sessions', P + '/sessions', None,
         {'username': 'clerk', 'password': 'demo'}, E),
        ('post', '/api/v1/sessions', P + '/sessions', None,
         {'username': 'clerk', 'password': 'wrong'}, E),
        ('post', '/api/v1/sessions', P + '/sessions', None, {'username': 5}, E),
        ('post', '/api/v1/sessions', P + '/sessions', None, b'{"username"', E),
        ('get', '/api/v1/catalog', P + '/catalog', pickup, None, None),
        ('get', '/api/v1/calendar', P + '/calendar?year=2026', pickup, None, None),
        ('get', '/api/v1/calendar', P + '/calendar?year=twenty', pickup, None, None),
        # Files first: the case names the page.
        ('put', '/api/v1/files/{sha256}', P + '/files/' + sha, clerk, page, 'application/pdf'),
        ('put', '/api/v1/files/{sha256}', P + '/files/' + sha, clerk, page, 'application/pdf'),
        ('put', '/api/v1/files/{sha256}', P + '/files/' + sha, pickup, page, 'application/pdf'),
        ('put', '/api/v1/files/{sha256}', P + '/files/' + '0' * 64, clerk, page,
         'application/pdf'),
        ('get', '/api/v1/files/{sha256}', P + '/files/' + sha, pickup, None, None),
        ('get', '/api/v1/files/{sha256}', P + '/files/' + 'f' * 64, pickup, None, None),
        ('get', '/api/v1/files/{sha256}', P + '/files/nothex', pickup, None, None),
        ('put', '/api/v1/cases/{case_no}', P + '/cases/' + case_no, clerk, case, E),
        ('put', '/api/v1/cases/{case_no}', P + '/cases/' + case_no, clerk, case, E),
        ('put', '/api/v1/cases/{case_no}', P + '/cases/' + case_no, clerk,
         dict(case, query_code='OTHER1'), E),
        ('put', '/api/v1/cases/{case_no}', P + '/cases/' + second_no, clerk,
         make_case(second_no, today, ['e' * 64]), E),
        ('put', '/api/v1/cases/{case_no}', P + '/cases/' + second_no, pickup,
         make_case(second_no, today, []), E),
        ('put', '/api/v1/cases/{case_no}', P + '/cases/' + second_no, clerk, b'[1, 2', E),
        ('get', '/api/v1/cases/{case_no}', P + '/cases/' + case_no, department, None, None),
        ('get', '/api/v1/cases/{case_no}', P + '/cases/' + unknown_no, department, None, None),
        ('get', '/api/v1/cases/{case_no}', P + '/cases/' + case_no, other_department, None,
         None),
        ('get', '/api/v1/files/{sha256}', P + '/files/' + sha, other_department, None, None),
        ('get', '/api/v1/cases', P + '/cases?department=%E6%B5%B7%E5%8F%A3', other_department,
         None, None),
        ('get', '/api/v1/cases', P + '/cases?limit=1', supervisor, None, None),
        ('get', '/api/v1/cases', P + '/cases?state=lost', supervisor, None, None),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         department, event, E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         department, event, E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         department, dict(event, note='other'), E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         clerk, dict(event, id='x2'), E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         pickup, dict(event, id='x3', kind='handed-over'), E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % unknown_no,
         department, dict(event, id='x4'), E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         department, b'{', E),
        ('put', '/api/v1/cases/{case_no}', P + '/cases/' + third_no, clerk, supplement, E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % third_no,
         clerk, dict(arrived, id='x5', materials=[dict(arrived['materials'][0],
                                                       material_id='m9')]), E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % third_no,
         clerk, arrived, E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % third_no,
         clerk, dict(accepted, id='x6', promised_date='2001-01-01'), E),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % third_no,
         clerk, accepted, E),
        ('get', '/api/v1/cases/{case_no}', P + '/cases/' + third_no, department, None, None),
        ('get', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no, pickup,
         None, None),
        ('get', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % unknown_no, pickup,
         None, None),
        ('get', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         other_department, None, None),
        ('post', '/api/v1/cases/{case_no}/events', P + '/cases/%s/events' % case_no,
         other_department, dict(event, id='x7', kind='suspended'), E),
        ('get', '/api/v1/changes', P + '/changes', clerk, None, None),
        ('get', '/api/v1/changes', P + '/changes?since=999999&timeout=1', clerk, None, None),
        ('get', '/api/v1/changes', P + '/changes?timeout=3600', clerk, None, None),
        ('put', '/api/v1/ratings/{id}', P + '/ratings/r-1', clerk, rating, E),
        ('put', '/api/v1/ratings/{id}', P + '/ratings/r-1', clerk, rating, E),
        ('put', '/api/v1/ratings/{id}', P + '/ratings/r-1', clerk, dict(rating, level=1), E),
        ('put', '/api/v1/ratings/{id}', P + '/ratings/r-2', clerk, dict(rating, id='r-2'), E),
        ('put', '/api/v1/ratings/{id}', P + '/ratings/r-3', clerk,
         dict(rating, id='r-3', level=9), E),
        ('put', '/api/v1/ratings/{id}', P + '/ratings/r-3', department, dict(rating, id='r-3'),
         E),
        ('put', '/api/v1/ratings/{id}', P + '/ratings/r-3', clerk, b'nope', E),
        ('get', '/api/v1/ratings/{id}', P + '/ratings/r-1', supervisor, None, None),
        ('get', '/api/v1/ratings/{id}', P + '/ratings/r-404', supervisor, None, None),
        ('get', '/api/v1/ratings/{id}', P + '/ratings/bad%20id', supervisor, None, None),
        ('get', '/api/v1/ratings/{id}', P + '/ratings/r-1', other_department, None, None),
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-1', clerk, ticket, E),
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-1', clerk, ticket, E),
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-1', clerk, dict(ticket, summary='x'), E),
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-2', department, dict(ticket, id='t-2'),
         E),
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-2', clerk,
         dict(ticket, id='t-2', tier='never'), E),
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-2', clerk, b'{]', E),
        ('get', '/api/v1/tickets/{id}', P + '/tickets/t-1', pickup, None, None),
        ('get', '/api/v1/tickets/{id}', P + '/tickets/t-404', pickup, None, None),
        ('get', '/api/v1/tickets/{id}', P + '/tickets/bad%20id', pickup, None, None),
        ('get', '/api/v1/tickets', P + '/tickets?overdue=false', supervisor, None, None),
        ('get', '/api/v1/tickets', P + '/tickets?state=gone', supervisor, None, None),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', supervisor,
         {'id': 'te-1', 'kind': 'assigned', 'at': now, 'assignee': 'clerk'}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', supervisor,
         {'id': 'te-1', 'kind': 'assigned', 'at': now, 'assignee': 'clerk'}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', supervisor,
         {'id': 'te-1', 'kind': 'assigned', 'at': now, 'assignee': 'pickup'}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', pickup,
         {'id': 'te-2', 'kind': 'started', 'at': now}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', clerk,
         {'id': 'te-2', 'kind': 'archived', 'at': now}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', supervisor,
         {'id': 'te-2', 'kind': 'archived', 'at': now}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-404/events', supervisor,
         {'id': 'te-3', 'kind': 'archived', 'at': now}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', supervisor, b'[', E),
        ('get', '/api/v1/tickets/{id}/events', P + '/tickets/t-1/events', pickup, None, None),
        ('get', '/api/v1/tickets/{id}/events', P + '/tickets/t-404/events', pickup, None, None),
        ('get', '/api/v1/tickets/{id}/events', P + '/tickets/bad%20id/events', pickup, None,
         None),
        # A whole loop with the optional members, the call-back's answer and the feed for me.
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-3', clerk,
         dict(ticket, id='t-3', channel='online', item_id='11460100MB0000000X',
              category='网办退件'), E),
        ('put', '/api/v1/tickets/{id}', P + '/tickets/t-4', clerk,
         dict(ticket, id='t-4', channel='fax'), E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-3/events', supervisor,
         {'id': 'tf-1', 'kind': 'assigned', 'at': now, 'assignee': 'supervisor'}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-3/events', supervisor,
         {'id': 'tf-2', 'kind': 'started', 'at': now}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-3/events', supervisor,
         {'id': 'tf-3', 'kind': 'resolved', 'at': now, 'note': '已办结'}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-3/events', supervisor,
         {'id': 'tf-4', 'kind': 'called-back', 'at': now, 'reached': True}, E),
        ('post', '/api/v1/tickets/{id}/events', P + '/tickets/t-3/events', supervisor,
         {'id': 'tf-4', 'kind': 'called-back', 'at': now, 'reached': True,
          'satisfaction': 'very-satisfied'}, E),
        ('get', '/api/v1/tickets/{id}/events', P + '/tickets/t-3/events', pickup, None, None),
        ('get', '/api/v1/tickets/{id}', P + '/tickets/t-3', pickup, None, None),
        ('get', '/api/v1/tickets/{id}', P + '/tickets/t-3', other_department, None, None),
        ('get', '/api/v1/tickets/{id}/events', P + '/tickets/t-3/events', other_department, None,
         None),
        ('get', '/api/v1/tickets', P + '/tickets', other_department, None, None),
        ('get', '/api/v1/users', P + '/users?role=department', supervisor, None, None),
        ('get', '/api/v1/users', P + '/users', supervisor, None, None),
        ('get', '/api/v1/users', P + '/users?role=boss', supervisor, None, None),
        ('get', '/api/v1/users', P + '/users', clerk, None, None),
        ('delete', '/api/v1/users/{username}/lock', P + '/users/clerk/lock', supervisor, None,
         None),
        ('delete', '/api/v1/users/{username}/lock', P + '/users/clerk/lock?address=10.0.0.7',
         supervisor, None, None),
        ('delete', '/api/v1/users/{username}/lock', P + '/users/clerk/lock?address=ten',
         supervisor, None, None),
        ('delete', '/api/v1/users/{username}/lock', P + '/users/nobody/lock', supervisor, None,
         None),
        ('delete', '/api/v1/users/{username}/lock', P + '/users/clerk/lock', clerk, None, None),
        ('get', '/api/v1/users', P + '/users?role=supervisor', other_department, None, None),
        ('get', '/api/v1/changes', P + '/changes', other_department, None, None),
        ('get', '/api/v1/changes', P + '/changes?for=me', supervisor, None, None),
        ('get', '/api/v1/changes', P + '/changes?for=you', supervisor, None, None),
        ('get', '/api/v1/statistics', P + '/statistics', supervisor, None, None),
        ('get', '/api/v1/statistics', P + '/statistics', clerk, None, None),
        # Log-out last: it ends the clerk's own session.
        ('delete', '/api/v1/sessions/current', P + '/sessions/current', clerk, None, None),
        ('delete', '/api/v1/sessions/current', P + '/sessions/current', clerk, None, None),
    ]


def check_answer(checker, operation, method, path, status, content_type, data):
    key = (method, path)
    seen.setdefault(key, set()).add(status)
    responses = operation['responses']
    where = '%s %s → %d' % (method.upper(), path, status)
    if str(status) not in responses:
        fail('%s is not a documented status (%s); body %r'
             % (where, ', '.join(responses), data[:200]))
        return
    response = checker.resolve(responses[str(status)])
    content = response.get('content', {})
    media = (content_type or '').split(';')[0].strip()
    if not content:
        return
    if media not in content:
        fail('%s has content type %r, documented %s' % (where, media, list(content)))
        return
    if media == 'application/json':
        try:
            value = json.loads(data)
        except ValueError:
            fail('%s is not JSON: %r' % (where, data[:200]))
            return
        checker.check(value, content[media]['schema'], where)


def main():
    with open(os.path.join(os.environ['OW_DATA_DIR'], 'openapi.yaml'), encoding='utf-8') as f:
        document = yaml.safe_load(f)
    checker = Checker(document)
    platform = Platform()
    try:
        tokens = {name: platform.login(name)
                  for name in ('clerk', 'pickup', 'department', 'department2', 'supervisor')}
        operations = {(method, path): operation
                      for path, item in document['paths'].items()
                      for method, operation in item.items()
                      if method in ('get', 'put', 'post', 'delete', 'patch')}

        for method, path, actual, token, body, content_type in probes(platform, tokens):
            if (method, path) not in operations:
                fail('the probe %s %s is not in the document' % (method.upper(), path))
                continue
            status, answer_type, data = platform.request(method.upper(), actual, token, body,
                                                         content_type or 'application/json')
            check_answer(checker, operations[(method, path)], method, path, status,
                         answer_type, data)

        # Every operation but log-in wants a token, and says so in the documented way.
        for (method, path), operation in operations.items():
            if operation.get('security') == []:
                continue
            actual = re.sub(r'\{[a-z0-9_]+\}', 'x', path)
            body = b'{}' if method in ('put', 'post') else None
            status, answer_type, data = platform.request(method.upper(), actual, None, body)
            if status != 401:
                fail('%s %s without a token → %d, not 401' % (method.upper(), path, status))
            check_answer(checker, operation, method, path, status, answer_type, data)

        for key in operations:
            statuses = seen.get(key, set())
            if not any(200 <= s < 300 for s in statuses):
                fail('%s %s was never answered with success (saw %s)'
                     % (key[0].upper(), key[1], sorted(statuses)))
    finally:
        platform.stop()

    print('%d operations, %d answers checked, %d failures'
          % (len(seen), sum(len(s) for s in seen.values()), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
